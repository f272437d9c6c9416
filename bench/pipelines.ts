/**
 * Pipelines: what a command step adds over running its command by hand. The same command runs as a
 * one-step pipeline (runPipeline: run folder, `python` launcher, binding, logs, summary.json) and as a
 * bare `bash -c` spawn, alternately in this process; the figure is the median difference.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runPipeline } from '../src/core/pipeline';
import { commandShell } from '../src/core/pipeline/run-command';
import { loadSpec } from '../src/core/spec';

type Report = (id: string, figure: string, target: string, met: boolean) => void;

const COMMAND = "python -c \"import sys; open(sys.argv[1] + '/done.txt', 'w').write('ok')\" ${{outputs.out}}";

function bareSpawn(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const shell = commandShell();
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(shell.file, shell.args(command), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`bare command exited ${code}`)),
    );
  });
}

export async function benchPipelines(report: Report, benchDir: string, quick: boolean): Promise<void> {
  const dir = path.join(benchDir, 'pipelines');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const specFile = path.join(dir, 'pipeline.yml');
  writeFileSync(
    specFile,
    [
      'type: pipeline',
      'jobs:',
      '  step:',
      '    type: command',
      '    code: ./src',
      `    command: ${COMMAND}`,
      '    outputs:',
      '      out:',
      '',
    ].join('\n'),
  );
  const spec = await loadSpec(specFile);
  const env = { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION || 'system' };
  const python = process.env.PARALLEL_RUN_PYTHON || 'python3';
  const bareOut = path.join(dir, 'bare-out');
  mkdirSync(bareOut, { recursive: true });
  const bareCommand = COMMAND.replace('python', python).replace('${{outputs.out}}', bareOut);

  const rounds = quick ? 5 : 21;
  const deltas: number[] = [];
  const pipelineMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    const summary = await runPipeline(spec, { env, python, runDir: path.join(dir, 'runs', String(i)) });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (summary.status !== 'Completed') throw new Error(`bench pipeline ended ${summary.status}: ${summary.reason}`);
    const bare = await bareSpawn(bareCommand, path.join(dir, 'src'), env);
    pipelineMs.push(ms);
    bareMs.push(bare);
    deltas.push(ms - bare);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sorted = [...deltas].sort((a, b) => a - b);
  console.log(
    `Pipelines: one command step ${median(pipelineMs).toFixed(1)} ms vs the bare command ${median(bareMs).toFixed(1)} ms ` +
      `(median of ${rounds}); added ${median(deltas).toFixed(1)} ms, spread ${sorted[0].toFixed(1)}–${sorted[sorted.length - 1].toFixed(1)} ms`,
  );
  const added = median(deltas);
  report('Pipelines: a command step over its bare command', `+${added.toFixed(1)} ms`, '<= 50 ms', added <= 50);
}
