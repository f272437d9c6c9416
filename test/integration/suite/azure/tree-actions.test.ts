// Azure actions through the real commands in a real VS Code, against the fake ARM and Azurite (run.mjs `azure`):
// create a cluster and see its row; create a data asset by uploading a local folder.
import * as assert from 'assert';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import type { TreeModel } from '../../../../src/vscode/tree/framework/tree-model';
import { test } from '../harness';
import { activeExtension, waitFor, workspaceUri } from '../helpers';

async function tree(): Promise<TreeModel> {
  const ext = await activeExtension();
  const model = (ext.exports as ExtensionApi).azureTree;
  assert.ok(model, 'the extension exports the Azure tree');
  return model();
}

const labels = (rows: TreeNode[]) => rows.map((r) => r.view().label);
function find(rows: TreeNode[], label: string | RegExp): TreeNode {
  const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
  assert.ok(n, `no row ${label} in ${JSON.stringify(labels(rows))}`);
  return n;
}

async function folder(model: TreeModel, label: string): Promise<TreeNode> {
  const sub = await waitFor(
    async () => (await model.children()).find((r) => r.view().label === 'Local test subscription'),
    20_000,
    'the subscription (signed in)',
  );
  const ws = find(await model.children(sub), /^local-ws/);
  return find(await model.children(ws), label);
}

/**
 * Answers the action's prompts as a user would, in order: input boxes (checked by their own validateInput, as
 * typed), quick picks by label, open dialogs; records the messages. `restore()` puts VS Code's functions back.
 */
function answer(script: { inputs?: string[]; picks?: string[]; open?: vscode.Uri[] }) {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  const messages: string[] = [];
  const offered: string[][] = [];
  const errors: string[] = [];
  const replace = (name: string, fn: (...a: any[]) => unknown) => {
    saved[name] = w[name];
    w[name] = fn;
  };
  const inputs = [...(script.inputs ?? [])];
  const picks = [...(script.picks ?? [])];
  replace('showInputBox', async (o: vscode.InputBoxOptions) => {
    const v = inputs.shift();
    if (v === undefined) return undefined;
    const problem = await o.validateInput?.(v);
    if (problem) throw new Error(`input "${o.prompt}" refused "${v}": ${typeof problem === 'string' ? problem : problem.message}`);
    return v;
  });
  replace('showQuickPick', async (items: Thenable<vscode.QuickPickItem[]> | vscode.QuickPickItem[]) => {
    const list = await items;
    const label = picks.shift();
    return label === undefined ? undefined : list.find((i) => i.label === label);
  });
  replace('showOpenDialog', async () => script.open);
  replace('showInformationMessage', async (text: string, ...items: string[]) => {
    messages.push(text);
    offered.push(items);
    return undefined;
  });
  replace('showErrorMessage', async (text: string) => void errors.push(text));
  return {
    messages,
    offered,
    errors,
    left: () => inputs.length + picks.length,
    restore: () => {
      for (const [k, fn] of Object.entries(saved)) w[k] = fn;
    },
  };
}

test('Create compute cluster on the Compute folder: prompts answered, provisioning followed, the row shows Succeeded', async () => {
  const model = await tree();
  const computes = await folder(model, 'Compute');
  await model.children(computes);
  const ui = answer({ inputs: ['itest-cpu', '0', '2', '60'], picks: ['Standard_DS3_v2', 'Dedicated'] });
  try {
    await vscode.commands.executeCommand('parallelRun.azure.createCluster', computes);
    assert.deepStrictEqual(ui.errors, []);
    assert.strictEqual(ui.left(), 0, 'every prompt was asked');
    assert.match(ui.messages.join('\n'), /itest-cpu is ready: Standard_DS3_v2, 0–2 nodes/);
  } finally {
    ui.restore();
  }
  const row = await waitFor(
    async () => (await model.children(computes)).find((r) => r.view().label === 'itest-cpu'),
    10_000,
    'the new cluster row',
  );
  assert.strictEqual(row.view().contextValue, 'azureCompute.cluster.Succeeded');
  assert.match(row.view().description ?? '', /0\/0–2 nodes · Standard_DS3_v2/);
});

test('Create data asset by uploading a local folder: uploaded to the default datastore, the asset listed under Data', async () => {
  const model = await tree();
  const data = await folder(model, 'Data');
  await model.children(data);
  const ui = answer({
    picks: ['Upload a local folder', 'uri_folder'],
    inputs: ['digit-images', '1'],
    open: [workspaceUri('data', 'images')],
  });
  try {
    await vscode.commands.executeCommand('parallelRun.azure.createDataAsset', data);
    assert.deepStrictEqual(ui.errors, []);
    assert.match(
      ui.messages.join('\n'),
      /Created data asset digit-images:1 \(uri_folder\) at azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images\//,
    );
  } finally {
    ui.restore();
  }
  const asset = await waitFor(
    async () => (await model.children(data)).find((r) => r.view().label === 'digit-images'),
    10_000,
    'the new data asset row',
  );
  const versions = await model.children(asset);
  assert.deepStrictEqual(labels(versions), ['1']);
  assert.match(versions[0].view().description ?? '', /^uri_folder · azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\//);
});

test('Register model from a local .onnx file, then Download it: the files arrive and Inspect Model is offered', async () => {
  const model = await tree();
  const models = await folder(model, 'Models');
  await model.children(models);
  const onnx = workspaceUri('model', 'digits.onnx');
  const reg = answer({ picks: ['A model file', 'custom_model'], inputs: ['itest-digits', '1'], open: [onnx] });
  try {
    await vscode.commands.executeCommand('parallelRun.azure.registerModel', models);
    assert.deepStrictEqual(reg.errors, []);
    assert.match(reg.messages.join('\n'), /Registered model itest-digits:1 \(custom_model\)/);
  } finally {
    reg.restore();
  }
  const asset = await waitFor(
    async () => (await model.children(models)).find((r) => r.view().label === 'itest-digits'),
    10_000,
    'the new model row',
  );
  const [version] = await model.children(asset);
  assert.strictEqual(version.view().contextValue, 'azureAssetVersion.models');
  const out = mkdtempSync(path.join(os.tmpdir(), 'prs-itest-download-'));
  const dl = answer({ open: [vscode.Uri.file(out)] });
  try {
    await vscode.commands.executeCommand('parallelRun.azure.downloadModel', version);
    assert.deepStrictEqual(dl.errors, []);
    const file = path.join(out, 'itest-digits', 'digits.onnx');
    assert.ok(existsSync(file), `${file} downloaded`);
    assert.deepStrictEqual(readFileSync(file), readFileSync(onnx.fsPath));
    await waitFor(() => dl.offered.some((items) => items.includes('Inspect Model')), 5_000, 'the Inspect Model offer');
  } finally {
    dl.restore();
  }
});
