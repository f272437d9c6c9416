/** The model commands on the digits sample's digits.onnx: inspect, generate an entry script, preview. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, waitFor, watchPrompts, within, workspaceUri } from './helpers';

const MODEL = () => workspaceUri('model', 'digits.onnx');

function modelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('parallelRun.model'));
}

function allTabs(): string {
  return JSON.stringify(
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => [t.label, (t.input as { viewType?: string })?.viewType]),
  );
}

test('Inspect Model on digits.onnx: pixels [batch, 64] -> probabilities [batch, 10], shown in the model view', async () => {
  await activeExtension();
  await closeEditors();
  const info = (await within(
    vscode.commands.executeCommand('parallelRun.inspectModel', MODEL()),
    20_000,
    'inspectModel did not finish',
  )) as {
    inputs: { name: string; shape: unknown[] }[];
    outputs: { name: string; shape: unknown[] }[];
  };
  assert.deepStrictEqual(
    info.inputs.map((i) => [i.name, i.shape]),
    [['pixels', ['batch', 64]]],
  );
  assert.deepStrictEqual(
    info.outputs.map((i) => [i.name, i.shape]),
    [['probabilities', ['batch', 10]]],
  );
  const tabs = await waitFor(() => modelTabs().length === 1 && modelTabs(), 5_000, `one model view among the tabs ${allTabs()}`);
  assert.match(tabs[0].label, /digits\.onnx/);
  await closeEditors();
});

test(
  'New Entry Script from Model… with the suggested answers writes script, spec and conda file',
  async () => {
    await activeExtension();
    const watch = watchPrompts({ open: [workspaceUri('data', 'images')], quickInputs: true });
    try {
      const files = (await within(
        vscode.commands.executeCommand('parallelRun.newEntryScriptFromModel', MODEL()),
        20_000,
        'the command did not finish',
      )) as { script: string; spec: string; conda: string } | undefined;
      assert.ok(files, `nothing written; prompts: ${JSON.stringify(watch.prompts)}; messages: ${JSON.stringify(watch.messages)}`);
      const script = fs.readFileSync(files.script, 'utf8');
      assert.match(script, /INPUT_NAME = "pixels"/);
      assert.match(script, /IMAGE_SIZE = \(8, 8\)/);
      assert.match(fs.readFileSync(files.spec, 'utf8'), /path: \.\/data\/images/);
      assert.match(fs.readFileSync(files.conda, 'utf8'), /onnxruntime==/);
      note(`prompts: ${watch.prompts.join(' / ')}`);
      for (const f of Object.values(files)) fs.rmSync(f, { force: true });
    } finally {
      watch.restore();
      await closeEditors();
    }
  },
  { timeoutMs: 40_000 },
);

test(
  'Preview Model on Sample… runs onnxruntime-node in the extension host on the first 10 images',
  async () => {
    await activeExtension();
    const watch = watchPrompts({ open: [workspaceUri('data', 'images')], quickInputs: true });
    try {
      const result = (await within(
        vscode.commands.executeCommand('parallelRun.previewModel', MODEL()),
        30_000,
        'the preview did not finish',
      )) as { rows: { input: string; label: string; score: number }[]; timings: Record<string, number> } | undefined;
      assert.ok(result, `no preview; prompts: ${JSON.stringify(watch.prompts)}; messages: ${JSON.stringify(watch.messages)}`);
      assert.strictEqual(result.rows.length, 10);
      const right = result.rows.filter((r) => r.input.endsWith(`label${r.label}.png`)).length;
      assert.ok(right >= 8, `${right} of 10 right: ${JSON.stringify(result.rows)}`);
      await waitFor(() => modelTabs().length === 1, 5_000, `the preview in the model view among the tabs ${allTabs()}`);
      note(`timings in the extension host: ${JSON.stringify(result.timings)}`);
    } finally {
      watch.restore();
      await closeEditors();
    }
  },
  { timeoutMs: 60_000 },
);
