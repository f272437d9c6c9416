// The framework's rows as VS Code TreeItems, and the provider forwarding per-node refreshes to the view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, fakeVscode, EventEmitter } from '../panel/fake-vscode';
import type { TreeNode } from '../../../src/vscode/tree/framework/node';
import type * as Provider from '../../../src/vscode/tree/framework/provider';
import type * as TreeModelModule from '../../../src/vscode/tree/framework/tree-model';

class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  iconPath?: unknown;
  command?: unknown;
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}
class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}
class ThemeColor {
  constructor(readonly id: string) {}
}
Object.assign(fakeVscode, {
  TreeItem,
  ThemeIcon,
  ThemeColor,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  EventEmitter,
});
installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ModelTreeProvider, toTreeItem } = require('../../../src/vscode/tree/framework/provider') as typeof Provider;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TreeModel } = require('../../../src/vscode/tree/framework/tree-model') as typeof TreeModelModule;

test('a row becomes a TreeItem with id, icon, colour, context value and command', () => {
  const node: TreeNode = {
    id: 'a/b',
    view: () => ({
      label: 'cpu',
      description: 'Steady',
      tooltip: 't',
      icon: 'server',
      iconColor: 'charts.blue',
      contextValue: 'azureCompute',
      collapsible: 'collapsed',
      command: { command: 'x', title: 'X' },
    }),
  };
  const item = toTreeItem(node) as unknown as TreeItem;
  assert.equal(item.id, 'a/b');
  assert.equal(item.label, 'cpu');
  assert.equal(item.collapsibleState, 1);
  assert.equal(item.contextValue, 'azureCompute');
  assert.deepEqual(item.iconPath, new ThemeIcon('server', new ThemeColor('charts.blue')));
  assert.deepEqual(item.command, { command: 'x', title: 'X' });
});

test('the provider answers from the model and forwards per-node changes', async () => {
  const child: TreeNode = { id: 'r/c', view: () => ({ label: 'c', collapsible: 'none' }) };
  const root: TreeNode = { id: 'r', view: () => ({ label: 'r', collapsible: 'collapsed' }), children: async () => [child] };
  const model = new TreeModel({ roots: async () => [root] });
  const provider = new ModelTreeProvider(model);
  const fired: unknown[] = [];
  provider.onDidChangeTreeData((n) => fired.push(n));
  assert.deepEqual(await provider.getChildren(), [root]);
  assert.deepEqual(await provider.getChildren(root), [child]);
  model.refresh(root);
  assert.deepEqual(fired, [root]);
  provider.dispose();
  model.refresh(root);
  assert.equal(fired.length, 1, 'nothing after dispose');
});
