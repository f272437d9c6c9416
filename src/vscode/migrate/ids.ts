import { commandTable } from '../commands/declare';

export const MIGRATE_COMMAND = {
  migrateV1: 'parallelRun.migrateV1',
} as const;

export const MIGRATE_COMMANDS = commandTable(MIGRATE_COMMAND, {
  migrateV1: {
    title: 'Migrate ParallelRunStep to v2',
    // The code is only parsed (Python's ast), but the interpreter that parses it may come from workspace settings.
    trust:
      "the code is only parsed, but the Python interpreter that parses it may come from this workspace's settings (parallelRun.pythonPath), so it needs a trusted workspace.",
  },
});
