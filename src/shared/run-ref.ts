/** A run as a list shows it (the panel's run picker): browser-safe, no Node imports. */
import type { RunStatus } from './run-types';

export interface RunRef {
  runDir: string;
  status: RunStatus;
  /** From the folder name, ISO 8601 (UTC); undefined when the name carries no time. */
  startedAt?: string;
}
