/** The VS Code side of a TreeModel: rows become TreeItems, and the framework's own rows get their commands. */
import * as vscode from 'vscode';
import { registerCommandTable } from '../../commands/register';
import { TREE_COMMANDS } from './ids';
import type { ItemView, TreeNode } from './node';
import type { TreeModel } from './tree-model';

export function toTreeItem(node: TreeNode): vscode.TreeItem {
  const v: ItemView = node.view();
  const state =
    v.collapsible === 'none'
      ? vscode.TreeItemCollapsibleState.None
      : v.collapsible === 'expanded'
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(v.label, state);
  item.id = node.id;
  item.description = v.description;
  item.tooltip = v.tooltip;
  item.contextValue = v.contextValue;
  if (v.icon) item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
  if (v.command) item.command = v.command;
  return item;
}

/** A TreeDataProvider over a model; per-node refreshes reach the view as per-node change events. */
export class ModelTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(readonly model: TreeModel) {
    this.subscription = model.onDidChange((n) => this.changed.fire(n));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * Registers Retry, Load more and Refresh for the framework's rows (the row passes its owner node), for every
 * model `models()` returns: a row goes to the model that loaded it. Register once per extension.
 */
export function registerTreeCommands(log: vscode.LogOutputChannel, models: () => TreeModel[]): vscode.Disposable {
  const owning = (act: (m: TreeModel, n: TreeNode | undefined) => unknown) => async (node?: TreeNode) => {
    for (const m of models()) if (m.knows(node)) await act(m, node);
  };
  return registerCommandTable(log, TREE_COMMANDS, {
    retry: owning((m, n) => m.retry(n)),
    loadMore: owning((m, n) => n && m.loadMore(n)),
    refresh: owning((m, n) => m.refresh(n)),
  });
}
