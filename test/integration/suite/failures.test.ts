/** A failed run as the user meets it: the notification's headline, a problem on the failing line, and Cancel. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, sleep, Summary, watchPrompts, within, writeFiles } from './helpers';

function spec(dir: string, over: string[] = []): Record<string, string> {
  return {
    [`${dir}/pipeline.yml`]: [
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
      '    retry_settings:',
      '      max_retries: 0',
      '      timeout: 30',
      '    resources:',
      '      instance_count: 1',
      '    max_concurrency_per_instance: 1',
      ...over,
      '    task:',
      '      type: run_function',
      '      code: ./src',
      '      entry_script: score.py',
      '      append_row_to: ${{outputs.out}}',
      '',
    ].join('\n'),
    [`${dir}/data/a.txt`]: 'a\n',
    [`${dir}/data/b.txt`]: 'b\n',
    [`${dir}/data/c.txt`]: 'c\n',
  };
}

async function runLocally(file: string, miniBatches?: number): Promise<Summary | undefined> {
  await activeExtension();
  return within(
    vscode.commands.executeCommand<Summary | undefined>('parallelRun.runLocally', vscode.Uri.file(file), {
      sample: miniBatches ? { miniBatches } : {},
      reveal: false,
    }),
    100_000,
    'parallelRun.runLocally did not resolve within 100 s',
  );
}

test(
  'a failure is a "Parallel Run" problem on the user\'s line, and the next run clears it',
  async () => {
    const raise = 'def init():\n    pass\n\n\ndef run(mini_batch):\n    raise ValueError("boom")\n';
    const [specFile, script] = writeFiles({ ...spec('problems'), 'problems/src/score.py': raise });
    const scriptFile = path.join(path.dirname(specFile), 'src', 'score.py');
    void script;
    const watch = watchPrompts();
    try {
      const failed = await runLocally(specFile, 2);
      assert.strictEqual(
        failed?.status,
        'Failed',
        JSON.stringify({ reason: failed?.reason, counts: failed?.counts, runDir: failed?.runDir }),
      );
      const problems = vscode.languages.getDiagnostics(vscode.Uri.file(scriptFile)).filter((d) => d.source === 'Parallel Run');
      assert.strictEqual(problems.length, 1, `problems on score.py: ${JSON.stringify(problems.map((d) => d.message))}`);
      assert.strictEqual(problems[0].range.start.line, 5, 'on the raise (line 6)');
      assert.strictEqual(problems[0].message, 'ValueError: boom — 2 mini-batches (2 items) of score failed here.');
      assert.deepStrictEqual(
        [problems[0].range.start.character, problems[0].range.end.character],
        [4, 'raise ValueError("boom")'.length + 4],
        'the code of the line',
      );
      const toast = watch.messages.find((m) => m.kind === 'error');
      assert.ok(toast, `an error notification: ${JSON.stringify(watch.messages)}`);
      assert.match(
        toast.text,
        /^score failed: ValueError: boom at problems\/src\/score\.py:6, in 2 mini-batches \(2 items\)\. There is no succeeded mini batch item returned from run\(\)\.$/,
      );
      note(`problem: ${problems[0].message}; toast: ${toast.text}`);

      fs.writeFileSync(scriptFile, 'def init():\n    pass\n\n\ndef run(mini_batch):\n    return [str(p) for p in mini_batch]\n');
      const fixed = await runLocally(specFile, 2);
      assert.strictEqual(
        fixed?.status,
        'Completed',
        `the fixed run: ${fixed?.reason} ${JSON.stringify(fixed?.failures.map((f) => f.error))}`,
      );
      const left = vscode.languages.getDiagnostics(vscode.Uri.file(scriptFile)).filter((d) => d.source === 'Parallel Run');
      assert.deepStrictEqual(
        left.map((d) => d.message),
        [],
        'the next run cleared the problem',
      );
    } finally {
      watch.restore();
      fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
    }
  },
  { timeoutMs: 200_000 },
);

test(
  'Cancel Run stops a run in progress: Canceled, and no notification about it',
  async () => {
    const slow =
      'import time\n\n\ndef init():\n    pass\n\n\ndef run(mini_batch):\n    time.sleep(2)\n    return [str(p) for p in mini_batch]\n';
    const [specFile] = writeFiles({ ...spec('cancel'), 'cancel/src/score.py': slow });
    const watch = watchPrompts();
    try {
      const running = runLocally(specFile);
      await sleep(2500);
      const canceled = await vscode.commands.executeCommand<boolean>('parallelRun.cancelRun');
      assert.strictEqual(canceled, true, 'a run was in progress to cancel');
      const summary = await running;
      assert.strictEqual(summary?.status, 'Canceled');
      assert.deepStrictEqual(watch.messages, [], 'the user canceled: nothing to tell');
      note(`Canceled: ${summary?.reason}; ${summary?.counts.miniBatches.succeeded}/${summary?.counts.miniBatches.total} mini-batches done`);
    } finally {
      watch.restore();
      fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
    }
  },
  { timeoutMs: 120_000 },
);

test(
  'running a spec with errors opens it at the first one and shows Problems, with no toast listing them',
  async () => {
    const files = spec('broken', ['    mini_batch_sise: 2']);
    const [specFile] = writeFiles({ ...files, 'broken/src/score.py': 'def run(mini_batch):\n    return mini_batch\n' });
    const watch = watchPrompts();
    try {
      const summary = await runLocally(specFile, 1);
      assert.strictEqual(summary, undefined, 'nothing ran');
      assert.deepStrictEqual(
        watch.messages.filter((m) => m.kind === 'error'),
        [],
        'no error toast',
      );
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.fsPath, specFile, 'the spec is open');
      const line = editor!.document
        .getText()
        .split('\n')
        .findIndex((l) => l.includes('mini_batch_sise'));
      assert.strictEqual(editor!.selection.active.line, line, 'at the first error');
      note(`opened ${path.basename(specFile)} at line ${line + 1}`);
    } finally {
      watch.restore();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(specFile), { recursive: true, force: true });
    }
  },
  { timeoutMs: 60_000 },
);
