/** In an untrusted workspace a model can be inspected (its bytes are read, nothing runs) but not previewed. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { test } from '../harness';
import { watchPrompts, within, workspaceUri } from '../helpers';

test('Inspect Model works untrusted; Preview Model on Sample… refuses and says how to trust the folder', async () => {
  const watch = watchPrompts({ open: [workspaceUri('data', 'images')], quickInputs: true });
  try {
    const info = (await within(
      vscode.commands.executeCommand('parallelRun.inspectModel', workspaceUri('model', 'digits.onnx')),
      20_000,
      'inspectModel did not finish',
    )) as { inputs: { name: string }[] } | undefined;
    assert.deepStrictEqual(
      info?.inputs.map((i) => i.name),
      ['pixels'],
    );
    const preview = await within(
      vscode.commands.executeCommand('parallelRun.previewModel', workspaceUri('model', 'digits.onnx')),
      20_000,
      'previewModel did not return',
    );
    assert.strictEqual(preview, undefined);
    assert.ok(
      watch.messages.some((m) => m.kind === 'error' && /trusted workspace/.test(m.text)),
      `shown: ${JSON.stringify(watch.messages)}`,
    );
    assert.deepStrictEqual(watch.prompts, [], 'the preview asked questions before refusing');
  } finally {
    watch.restore();
  }
});
