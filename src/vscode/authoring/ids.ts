import { commandTable } from '../commands/declare';

export const AUTHORING_COMMAND = {
  newEntryScript: 'parallelRun.newEntryScript',
  /** The quick fix "Create <script>.py" of a spec whose code names a missing entry script. */
  createEntryScript: 'parallelRun.createEntryScript',
} as const;

export const AUTHORING_COMMANDS = commandTable(AUTHORING_COMMAND, {
  newEntryScript: { title: 'New Entry Script' },
  createEntryScript: {
    title: 'Create the entry script',
    trust: 'Parallel Run writes the files a quick fix proposes only into a trusted workspace.',
  },
});
