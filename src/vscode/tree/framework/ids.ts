import { commandTable } from '../../commands/declare';

/** Command ids the framework's own rows run (the row passes the node it speaks for). */
export const TREE_COMMAND = {
  retry: 'parallelRun.tree.retry',
  loadMore: 'parallelRun.tree.loadMore',
  refresh: 'parallelRun.tree.refresh',
} as const;

export const TREE_COMMANDS = commandTable(TREE_COMMAND, {
  retry: { title: 'Retry' },
  loadMore: { title: 'Load more' },
  refresh: { title: 'Refresh' },
});
