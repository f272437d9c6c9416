import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverWorkspaceConfig, findWorkspaceConfigFile } from '../../../src/core/azure/workspace-config';

function tree(files: Record<string, unknown>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ws-config-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}
const cfg = (ws: string) => ({ subscription_id: 'sub-1', resource_group: 'rg-1', workspace_name: ws });

test('finds config.json in a parent folder, as Workspace.from_config() does', () => {
  const root = tree({ 'config.json': cfg('top'), 'src/deep/x.py': '' });
  try {
    const c = discoverWorkspaceConfig(path.join(root, 'src', 'deep'));
    assert.deepEqual(
      { ...c, file: path.relative(root, c!.file) },
      { file: 'config.json', subscriptionId: 'sub-1', resourceGroup: 'rg-1', workspace: 'top' },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('.azureml/config.json anywhere up the tree wins over a closer plain config.json (azure-ai-ml priority)', () => {
  const root = tree({ '.azureml/config.json': cfg('from-azureml-dir'), 'a/config.json': cfg('plain'), 'a/b/.keep': '' });
  try {
    assert.equal(discoverWorkspaceConfig(path.join(root, 'a', 'b'))?.workspace, 'from-azureml-dir');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('reads the ARM "Scope" form and project_name', () => {
  const root = tree({
    'one/config.json': { Scope: '/subscriptions/s9/resourceGroups/g9/providers/Microsoft.MachineLearningServices/workspaces/w9' },
    'two/config.json': { subscription_id: 's', resource_group: 'g', project_name: 'p' },
  });
  try {
    assert.deepEqual(
      [discoverWorkspaceConfig(path.join(root, 'one')), discoverWorkspaceConfig(path.join(root, 'two'))].map((c) => [
        c?.subscriptionId,
        c?.resourceGroup,
        c?.workspace,
      ]),
      [
        ['s9', 'g9', 'w9'],
        ['s', 'g', 'p'],
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a config missing keys names the file, the missing keys and the shape to write', () => {
  const root = tree({ 'config.json': { subscription_id: 's' } });
  try {
    assert.throws(
      () => discoverWorkspaceConfig(root),
      (e: Error) =>
        e.message.includes(path.join(root, 'config.json')) &&
        /missing resource_group, workspace_name/.test(e.message) &&
        /"workspace_name": "<name>"/.test(e.message),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('no config anywhere up the tree: undefined', () => {
  const root = tree({ 'x/y.txt': '' });
  try {
    // The temp folder's parents (/tmp, /) hold no config.json on a test machine.
    assert.equal(findWorkspaceConfigFile(path.join(root, 'x')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
