/** `parallelRun.runLocally` runs a job on real Python workers and resolves with its summary. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, runFolders, Summary, watchPrompts, within, workspaceDir, workspaceUri, writeFiles } from './helpers';

async function runLocally(uri: vscode.Uri, miniBatches: number): Promise<Summary | undefined> {
  await activeExtension();
  return within(
    vscode.commands.executeCommand<Summary | undefined>('parallelRun.runLocally', uri, { sample: { miniBatches }, reveal: false }),
    100_000,
    `parallelRun.runLocally(${vscode.workspace.asRelativePath(uri)}) did not resolve within 100 s`,
  );
}

function lines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

test(
  'runs two mini-batches of the digits sample and resolves with a Completed summary',
  async () => {
    const before = runFolders(workspaceDir());
    const watch = watchPrompts();
    let summary: Summary | undefined;
    try {
      summary = await runLocally(workspaceUri('pipeline.yml'), 2);
    } finally {
      watch.restore();
    }
    assert.ok(summary, `runLocally resolved ${summary}; messages: ${JSON.stringify(watch.messages)}`);
    assert.strictEqual(summary.status, 'Completed', `status ${summary.status}: ${summary.reason ?? ''}`);
    assert.strictEqual(summary.counts.miniBatches.total, 2, 'sample.miniBatches: 2 runs two mini-batches');
    assert.strictEqual(summary.counts.miniBatches.succeeded, 2);
    // mini_batch_size is 5 images: 10 rows "<image>: <digit>" in the append_row file.
    assert.ok(summary.outputFile && fs.existsSync(summary.outputFile), `no output file: ${summary.outputFile}`);
    const rows = lines(summary.outputFile);
    assert.strictEqual(rows.length, 10, rows.join('\n'));
    assert.ok(fs.existsSync(path.join(summary.logsDir, 'job_result.txt')), 'logs/job_result.txt missing');
    const after = runFolders(workspaceDir());
    assert.strictEqual(after.length, before.length + 1, 'one new run folder under .parallel-run/runs/');
    assert.deepStrictEqual(watch.prompts, [], 'a local run of a valid spec asks nothing');
    assert.deepStrictEqual(
      watch.messages.filter((m) => m.kind === 'error'),
      [],
      'no error notification for a completed run',
    );
    note(
      `${summary.counts.miniBatches.succeeded} mini-batches, ${rows.length} rows, run folder ${path.relative(workspaceDir(), summary.runDir)}`,
    );
  },
  { timeoutMs: 110_000 },
);

test(
  'runs from the entry script too, finding the pipeline YAML next to it',
  async () => {
    const watch = watchPrompts();
    let summary: Summary | undefined;
    try {
      summary = await runLocally(workspaceUri('src', 'digit_identification.py'), 1);
    } finally {
      watch.restore();
    }
    assert.ok(
      summary,
      `runLocally resolved ${summary}; messages: ${JSON.stringify(watch.messages)}; prompts: ${JSON.stringify(watch.prompts)}`,
    );
    assert.strictEqual(summary.status, 'Completed', `status ${summary.status}: ${summary.reason ?? ''}`);
    assert.strictEqual(summary.counts.miniBatches.total, 1);
    assert.strictEqual(lines(summary.outputFile!).length, 5);
  },
  { timeoutMs: 110_000 },
);

test(
  'resolves with a Failed summary naming the error when the entry script raises',
  async () => {
    const [spec] = writeFiles({
      'failing/pipeline.yml': [
        'type: pipeline',
        'inputs:',
        '  data:',
        '    type: uri_folder',
        '    path: ./data',
        'outputs:',
        '  scores:',
        '    type: uri_folder',
        'jobs:',
        '  score:',
        '    type: parallel',
        '    inputs:',
        '      data: ${{parent.inputs.data}}',
        '    outputs:',
        '      out: ${{parent.outputs.scores}}',
        '    input_data: ${{inputs.data}}',
        '    mini_batch_size: 1',
        '    error_threshold: 0',
        '    retry_settings:',
        '      max_retries: 0',
        '      timeout: 30',
        '    resources:',
        '      instance_count: 1',
        '    max_concurrency_per_instance: 1',
        '    task:',
        '      type: run_function',
        '      code: ./src',
        '      entry_script: score.py',
        '      append_row_to: ${{outputs.out}}',
        '',
      ].join('\n'),
      'failing/src/score.py':
        'def init():\n    pass\n\n\ndef run(mini_batch):\n    raise ValueError("cannot score " + str(mini_batch[0]))\n',
      'failing/data/a.txt': 'a\n',
      'failing/data/b.txt': 'b\n',
    });
    const watch = watchPrompts();
    let summary: Summary | undefined;
    try {
      summary = await runLocally(vscode.Uri.file(spec), 2);
    } finally {
      watch.restore();
      fs.rmSync(path.dirname(spec), { recursive: true, force: true });
    }
    assert.ok(summary, `runLocally resolved ${summary}; messages: ${JSON.stringify(watch.messages)}`);
    assert.strictEqual(summary.status, 'Failed');
    assert.ok(summary.failures.length >= 1, 'the failure is in the summary');
    assert.strictEqual(summary.failures[0].error.type, 'ValueError');
    assert.match(summary.failures[0].error.message, /cannot score/);
    note(`Failed: ${summary.reason ?? '(no reason)'}; shown: ${JSON.stringify(watch.messages)}`);
  },
  { timeoutMs: 110_000 },
);
