/**
 * Loads a tree's children so that a view is never blank or spinning forever: every load ends in rows (the
 * children, "nothing here and how to fill it", an error with Retry, or a sign-in), paged lists end in
 * "Load more", a refresh cancels the node's loads in flight (AbortSignal) and its stale answers are dropped.
 * Plain logic, no `vscode`: ./provider.ts adapts it to a TreeDataProvider.
 */
import { failureNode, isCancellation, type SignInAction } from './failure';
import { MessageNode, TREE_COMMAND, type TreeNode } from './node';

/** What the model holds for one expanded node: the pages loaded so far, or the load in flight. */
interface Loaded {
  controller: AbortController;
  items: TreeNode[];
  continuation?: string;
  /** The row a failure became (error or sign-in), shown after the items loaded before it. */
  failure?: TreeNode;
  /** The load in flight (first page or "Load more"). */
  pending?: Promise<void>;
}

export interface TreeModelOptions {
  /** The top-level rows (subscriptions, or a sign-in row). */
  roots(signal: AbortSignal): Promise<TreeNode[]>;
  /** Turns failures a sign-in fixes into a sign-in row running this command. */
  signIn?: SignInAction;
  /** Failures are logged here (never a token: the message is the Azure layer's redacted one). */
  log?(message: string): void;
}

const ROOT: TreeNode = { id: '#root', view: () => ({ label: '', collapsible: 'expanded' }) };

export class TreeModel {
  private readonly loaded = new Map<string, Loaded>();
  private readonly listeners = new Set<(node: TreeNode | undefined) => void>();

  constructor(private readonly options: TreeModelOptions) {}

  /** Called with the node whose children changed (undefined: the whole tree). */
  onDidChange(listener: (node: TreeNode | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The rows under `parent` (undefined: the roots), loading them the first time. */
  async children(parent?: TreeNode): Promise<TreeNode[]> {
    const node = parent ?? ROOT;
    if (node !== ROOT && !node.children && !node.page) return [];
    let state = this.loaded.get(node.id);
    if (!state) {
      state = { controller: new AbortController(), items: [] };
      this.loaded.set(node.id, state);
      state.pending = this.load(node, state, undefined);
    }
    // A first load: wait for it (the view shows its progress bar). A "Load more": show the pages already
    // there with a "Loading…" row; loadMore fires again when its page is in.
    if (state.pending && state.items.length === 0) {
      await state.pending;
      // Refreshed while loading: answer with the new load (the refresh also told the view to ask again).
      if (this.loaded.get(node.id) !== state) return this.children(parent);
    }
    return this.rows(node, state);
  }

  /** Loads the next page of `owner` (the node a "Load more" row belongs to) and shows it under the earlier ones. */
  async loadMore(owner: TreeNode): Promise<void> {
    const state = this.loaded.get(owner.id);
    if (!state || state.pending || state.continuation === undefined) return;
    state.pending = this.load(owner, state, state.continuation);
    this.fire(owner);
    await state.pending;
    if (this.loaded.get(owner.id) === state) this.fire(owner);
  }

  /**
   * Forgets what `node` (undefined: the whole tree) and everything under it loaded, cancels their loads in
   * flight, and tells the view to ask again.
   */
  refresh(node?: TreeNode): void {
    if (!node || node === ROOT) {
      for (const s of this.loaded.values()) s.controller.abort();
      this.loaded.clear();
      this.fire(undefined);
      return;
    }
    const prefix = `${node.id}/`;
    for (const [id, s] of [...this.loaded]) {
      if (id === node.id || id.startsWith(prefix)) {
        s.controller.abort();
        this.loaded.delete(id);
      }
    }
    this.fire(node);
  }

  /** Retry of an error row: loads its node's children again. */
  retry(owner: TreeNode | undefined): void {
    const state = owner ? this.loaded.get(owner.id) : undefined;
    // A failed "Load more" keeps the pages already shown and asks for the failed page again.
    if (owner && state && state.items.length > 0 && state.failure && state.continuation !== undefined) {
      state.failure = undefined;
      void this.loadMore(owner);
      return;
    }
    this.refresh(owner === ROOT ? undefined : owner);
  }

  /** Every node loaded so far, at any depth (the rows the view may be showing). */
  loadedNodes(): TreeNode[] {
    return [...this.loaded.values()].flatMap((s) => s.items);
  }

  /** Tells the view that `node`'s own row changed (icon, description): its loaded children stay. */
  rowChanged(node: TreeNode): void {
    this.fire(node);
  }

  /** True when `node` is this model's (its children were asked for); undefined is the root. */
  knows(node: TreeNode | undefined): boolean {
    return !node || this.loaded.has(node.id);
  }

  /** Cancels every load in flight. */
  dispose(): void {
    for (const s of this.loaded.values()) s.controller.abort();
    this.loaded.clear();
    this.listeners.clear();
  }

  private async load(node: TreeNode, state: Loaded, continuation: string | undefined): Promise<void> {
    const signal = state.controller.signal;
    try {
      if (node === ROOT) {
        state.items = await this.options.roots(signal);
        state.continuation = undefined;
      } else if (node.page) {
        const page = await node.page(continuation, signal);
        if (signal.aborted) return;
        state.items = [...state.items, ...page.items];
        state.continuation = page.continuation || undefined;
      } else if (node.children) {
        state.items = await node.children(signal);
        state.continuation = undefined;
      }
      state.failure = undefined;
    } catch (err) {
      if (signal.aborted || isCancellation(err)) return;
      const row = failureNode(node, err, this.options.signIn);
      this.options.log?.(`Could not load the children of ${node.id}: ${row.view().tooltip ?? row.view().label}`);
      state.failure = row;
    } finally {
      if (this.loaded.get(node.id) === state) state.pending = undefined;
    }
  }

  private rows(node: TreeNode, state: Loaded): TreeNode[] {
    if (state.failure) return [...state.items, state.failure];
    if (state.pending) return [...state.items, loadingRow(node)];
    if (state.items.length === 0) return node === ROOT ? [] : [emptyRow(node)];
    if (state.continuation !== undefined) return [...state.items, loadMoreRow(node, state.items.length)];
    return state.items;
  }

  private fire(node: TreeNode | undefined): void {
    const target = node === ROOT ? undefined : node;
    for (const l of [...this.listeners]) l(target);
  }
}

function loadMoreRow(owner: TreeNode, shown: number): MessageNode {
  return new MessageNode(
    `${owner.id}/#more`,
    {
      label: 'Load more…',
      description: `${shown} shown`,
      tooltip: 'Load the next page',
      icon: 'more',
      contextValue: 'treeLoadMore',
      command: { command: TREE_COMMAND.loadMore, title: 'Load more', arguments: [owner] },
    },
    owner,
  );
}

function loadingRow(owner: TreeNode): MessageNode {
  return new MessageNode(`${owner.id}/#loading`, { label: 'Loading…', icon: 'loading~spin', contextValue: 'treeLoading' }, owner);
}

function emptyRow(owner: TreeNode): MessageNode {
  const empty = owner.empty ?? { message: `No ${owner.view().label.toLowerCase()}` };
  return new MessageNode(
    `${owner.id}/#empty`,
    {
      label: empty.message,
      description: empty.hint,
      tooltip: empty.hint ? `${empty.message}. ${empty.hint}` : empty.message,
      icon: 'info',
      contextValue: 'treeEmpty',
      command: empty.action,
    },
    owner,
  );
}
