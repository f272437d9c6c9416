/**
 * Tree nodes as plain data (no `vscode` import): what a row shows and how its children load. The provider
 * (./provider.ts) turns a row into a vscode.TreeItem; the model (./tree-model.ts) loads children, pages them
 * and turns every failure into a row, so a view is never left blank or spinning.
 */

/** What one row shows. `icon` is a codicon id (`cloud`, `error`…), shown as a ThemeIcon. */
export interface ItemView {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  /** A theme colour id for the icon (`testing.iconFailed`, `charts.green`…). */
  iconColor?: string;
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Run when the row is clicked. */
  command?: { command: string; title: string; arguments?: unknown[] };
}

/** One page of children and where the next one starts (the Azure layer's `Page`). */
export interface NodePage {
  items: TreeNode[];
  continuation?: string;
}

/** What to say when a node has no children: what is empty, and how to fill it. */
export interface EmptyText {
  message: string;
  hint?: string;
  /** A command that fills it (create a cluster, register a datastore…). */
  action?: { command: string; title: string; arguments?: unknown[] };
}

export interface TreeNode {
  /** Unique in the tree and stable across refreshes (VS Code keeps expansion state by id). */
  readonly id: string;
  view(): ItemView;
  /** All children at once (short lists). */
  children?(signal: AbortSignal): Promise<TreeNode[]>;
  /** Children a page at a time; the model adds "Load more" while there is a continuation. */
  page?(continuation: string | undefined, signal: AbortSignal): Promise<NodePage>;
  /** Said when the load succeeds with nothing. */
  empty?: EmptyText;
}

/** Command ids the framework's own rows run (./ids.ts); registered by the view that owns the models. */
export { TREE_COMMAND } from './ids';

/** A row that only says something (error, empty, sign-in, load more): no children. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly row: Omit<ItemView, 'collapsible'>,
    /** The node this row speaks for: what Retry refreshes, what Load more extends. */
    readonly owner?: TreeNode,
  ) {}
  view(): ItemView {
    return { ...this.row, collapsible: 'none' };
  }
}

export const isMessageNode = (n: TreeNode): n is MessageNode => n instanceof MessageNode;
