// `parallel-run estimate`: the last local run of the node, the whole input, the spec's nodes × processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { estimateMain } from '../../../../src/cli/estimate';
import { project } from './fixture';

function sink(): Writable & { text: string } {
  const w = new Writable({ write: (c, _e, cb) => ((w.text += c), cb()) }) as Writable & { text: string };
  w.text = '';
  return w;
}

test('estimate reads the newest local run of the node and scales it to the whole input and the chosen cluster', async () => {
  const dir = project();
  for (let i = 0; i < 18; i++) writeFileSync(path.join(dir, 'data', 'images', `x${i}.png`), 'X'); // 20 files in all
  const out = sink();
  const err = sink();
  assert.equal(await estimateMain([path.join(dir, 'pipeline.yml')], out, err), 2);
  assert.match(
    err.text,
    /Node score has no local run to measure: run it first, e\.g\. `parallel-run run .*pipeline\.yml --node score --sample 3`/,
  );

  const run = (name: string, startedAt: string, seconds: number) => {
    const runDir = path.join(dir, '.parallel-run', 'runs', name);
    mkdirSync(runDir, { recursive: true });
    const summary = {
      status: 'Completed',
      specFile: path.join(dir, 'pipeline.yml'),
      nodeName: 'score',
      runDir,
      startedAt,
      endedAt: startedAt,
      durationMs: 1,
      workers: 1,
      counts: { miniBatches: { total: 1, succeeded: 1, failed: 0, running: 0, retried: 0 }, items: { total: 5, succeeded: 5, failed: 0 } },
      failures: [],
      warnings: [],
      logsDir: runDir,
      python: 'python3',
      miniBatches: [{ index: 0, data: {}, partitionKeyValue: {}, status: 'succeeded', attempts: 1, items: 5, succeeded: 5, seconds }],
    };
    writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify(summary));
  };
  run('score-old', '2026-01-01T00:00:00Z', 500);
  run('score-new', '2026-02-01T00:00:00Z', 5); // 1 s per file
  const out2 = sink();
  assert.equal(
    await estimateMain([path.join(dir, 'pipeline.yml'), '--price', '2', '--set', 'inputs.batch_size=2'], out2, err),
    0,
    err.text,
  );
  // 20 files / 2 per mini-batch = 10 mini-batches; 2 nodes × 2 processes: 3 waves of 2 s.
  assert.match(out2.text, /^score: 10 mini-batches, about 6 s wall time, 0\.0033 node-hours, cost 0\.01\n {2}measured in .*score-new\n/);
  assert.match(out2.text, /Each file takes 1 s, the mean of 5 files over 1 mini-batches/);
  const out3 = sink();
  assert.equal(
    await estimateMain([path.join(dir, 'pipeline.yml'), '--nodes', '1', '--processes', '1', '--set', 'inputs.batch_size=1'], out3, err),
    0,
  );
  assert.match(out3.text, /^score: 20 mini-batches, about 20 s wall time/);
});
