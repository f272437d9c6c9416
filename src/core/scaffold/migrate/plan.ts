/** The result of a migration before it is written: the spec as data, side files, and the report's rows. */
import type { At } from './source';

/** One v1 setting and where it went (or why it went nowhere). */
export interface MappingRow {
  /** The step it belongs to (v1 name), or undefined for pipeline-wide settings. */
  step?: string;
  /** `ParallelRunConfig.mini_batch_size = PipelineParameter("batch_size_param", "5")` */
  v1: string;
  /** `jobs.x.mini_batch_size: ${{parent.inputs.batch_size_param}}`; undefined when not mapped. */
  v2?: string;
  /** Why it is not mapped, or what to check. */
  note?: string;
  at?: At;
  /** Needs the user's hands. */
  manual?: boolean;
}

export interface ScriptChange {
  script: string;
  at: At;
  /** The v1 call, e.g. `Model.get_model_path("mnist")`. */
  code: string;
  change: string;
}

export interface SideFile {
  /** Relative to the output folder. */
  path: string;
  text: string;
}

export interface MigrationPlan {
  /** The spec as plain data, in the order it is written. */
  spec: Record<string, unknown>;
  /** conda files, MLTable files. */
  files: SideFile[];
  rows: MappingRow[];
  scriptChanges: ScriptChange[];
  /** v1 step name → v2 node name, where they differ. */
  renames: { v1: string; v2: string }[];
  /** MLTable files to create beside cloud data (the report shows them). */
  cloudTables: { input: string; folder: string; text: string }[];
  /** Sentences about things the converter saw but did not read (magics, syntax errors). */
  notes: string[];
}
