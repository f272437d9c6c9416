/** What every reader of a spec shares: where findings go and what kind of run the spec is read for. */
import type { Findings } from './findings';

export interface SpecContext {
  /** Absolute path of the spec file being read. */
  specFile: string;
  findings: Findings;
  /** Read for a local run: input_data must be on this machine (remote data is an error). */
  local: boolean;
  /** Processes per node when max_concurrency_per_instance is unset. */
  cpuCount: number;
  /** `--set` paths are relative to it. */
  cwd: string;
  /** `--node X`: only this node's problems are reported. */
  onlyNode?: string;
}
