/**
 * Whole pipelines from the editor: the repository's samples/pipeline (command → parallel → command) run with
 * Run Pipeline Locally, one step again with Run Step Locally, and a failing command step's headline.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, lensesOf, repoPath, titles, waitFor, watchPrompts, within, workspaceDir, writeFiles } from './helpers';

interface PipelineSummary {
  status: string;
  reason?: string;
  runDir: string;
  pipelineName: string;
  nodes: { name: string; type: string; status: string; runDir: string; outputs: Record<string, string>; exitCode?: number }[];
  outputs: Record<string, string>;
  notes: string[];
}

/** The repository's samples/pipeline, copied to `pipe/` of the workspace (a copy of samples/digits, so `../digits/` is `../`). */
function copySample(extra: Record<string, string> = {}): string {
  const sample = repoPath('samples', 'pipeline');
  const read = (rel: string) => fs.readFileSync(path.join(sample, rel), 'utf8');
  const [spec] = writeFiles({
    'pipe/pipeline.yml': read('pipeline.yml').replace(/\.\.\/digits\//g, '../'),
    'pipe/src/prepare.py': read('src/prepare.py'),
    'pipe/src/summarize.py': read('src/summarize.py'),
    ...extra,
  });
  return spec;
}

async function run(
  command: string,
  spec: string,
  options: Record<string, unknown>,
): Promise<{ summary?: PipelineSummary; watch: ReturnType<typeof watchPrompts> }> {
  await activeExtension();
  const watch = watchPrompts();
  try {
    const summary = await within(
      vscode.commands.executeCommand<PipelineSummary | undefined>(command, vscode.Uri.file(spec), {
        sample: { miniBatches: 2 },
        ...options,
      }),
      150_000,
      `${command} did not resolve within 150 s`,
    );
    return { summary, watch };
  } finally {
    watch.restore();
  }
}

const statuses = (s: PipelineSummary) => s.nodes.map((n) => `${n.name}:${n.status}`);

test('a pipeline spec has Run Pipeline Locally on `jobs:` and Run Step Locally on each step', async () => {
  const spec = copySample();
  const lenses = await lensesOf(vscode.Uri.file(spec));
  const text = fs.readFileSync(spec, 'utf8').split('\n');
  const at = (title: string) => lenses.filter((l) => l.command?.title.includes(title)).map((l) => text[l.range.start.line].trim());
  assert.deepStrictEqual(at('Run Pipeline Locally'), ['jobs:'], titles(lenses).join(', '));
  assert.deepStrictEqual(at('Run Step Locally'), ['prepare:', 'score:', 'summarize:']);
});

test(
  'runs command → parallel → command in order, opens one pipeline panel, and writes each step where the next reads it',
  async () => {
    const spec = copySample();
    const { summary, watch } = await run('parallelRun.runPipelineLocally', spec, {});
    assert.ok(summary, `resolved ${summary}; messages ${JSON.stringify(watch.messages)}`);
    assert.strictEqual(summary.status, 'Completed', `${summary.reason}; messages ${JSON.stringify(watch.messages)}`);
    assert.deepStrictEqual(statuses(summary), ['prepare:Completed', 'score:Completed', 'summarize:Completed']);
    const report = path.join(summary.outputs.report, 'report.txt');
    const lines = fs.readFileSync(report, 'utf8').trim().split('\n');
    // 2 mini-batches of 5 images: the summary step counted 10 predictions.
    assert.match(lines.at(-1)!, /^all: \d+\/10 right$/, lines.join('\n'));
    assert.ok(
      summary.notes.some((n) => /cloud-only/.test(n)),
      'the cloud-only fields are noted',
    );
    assert.deepStrictEqual(watch.prompts, [], 'a sample given by the caller asks nothing');
    assert.deepStrictEqual(
      watch.messages.filter((m) => m.kind === 'error'),
      [],
    );
    const tabs = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith(summary.pipelineName));
    // The tab title reaches the workbench on its own time.
    await waitFor(
      () => tabs().length === 1 && / · Completed/.test(tabs()[0].label),
      10_000,
      `one pipeline panel tab, Completed (tabs: ${tabs()
        .map((t) => t.label)
        .join(', ')})`,
    );
    note(`${lines.at(-1)}; panel tab "${tabs()[0].label}"`);

    // Run Step Locally: summarize alone, on the outputs of the run above; the panel is reused.
    const again = await run('parallelRun.runStepLocally', spec, { node: 'summarize' });
    assert.ok(again.summary, `messages ${JSON.stringify(again.watch.messages)}`);
    assert.deepStrictEqual(statuses(again.summary), ['score:Reused', 'summarize:Completed']);
    await waitFor(() => tabs().length === 1 && tabs()[0].label.includes('Completed'), 10_000, 'still one pipeline panel tab');
  },
  { timeoutMs: 320_000 },
);

test(
  'a failing command step: the notification names the step, the exception and the user line',
  async () => {
    const broken = "raise ValueError('no predictions to summarize')";
    const spec = copySample({ 'pipe/src/summarize.py': `import sys\n\n\ndef main():\n    ${broken}\n\n\nmain()\n` });
    const { summary, watch } = await run('parallelRun.runPipelineLocally', spec, { reveal: false });
    assert.ok(summary);
    assert.strictEqual(summary.status, 'Failed');
    assert.deepStrictEqual(statuses(summary), ['prepare:Completed', 'score:Completed', 'summarize:Failed']);
    const error = watch.messages.find((m) => m.kind === 'error');
    assert.ok(error, `no error notification: ${JSON.stringify(watch.messages)}`);
    assert.match(error.text, /step summarize failed: ValueError: no predictions to summarize at pipe\/src\/summarize\.py:5, exit code 1\./);
    note(error.text);
  },
  { timeoutMs: 200_000 },
);

test('Run Step Locally of a step whose upstream never ran says which step to run first, with a button', async () => {
  const dir = path.join(workspaceDir(), 'pipe2');
  fs.rmSync(dir, { recursive: true, force: true });
  const [spec] = writeFiles({ 'pipe2/pipeline.yml': fs.readFileSync(copySample(), 'utf8') });
  for (const f of ['prepare.py', 'summarize.py'])
    writeFiles({ [`pipe2/src/${f}`]: fs.readFileSync(path.join(workspaceDir(), 'pipe', 'src', f), 'utf8') });
  const { summary, watch } = await run('parallelRun.runStepLocally', spec, { node: 'summarize', reveal: false });
  assert.strictEqual(summary, undefined);
  const error = watch.messages.find((m) => m.kind === 'error');
  assert.ok(error, JSON.stringify(watch.messages));
  assert.match(error.text, /step `score`/);
  assert.deepStrictEqual(error.items, ['Run score First']);
});
