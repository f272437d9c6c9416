/**
 * What core/spec hands to the rest of the product: a parallel node of an `az ml` v2 pipeline YAML,
 * with every binding resolved, every default applied and every local path made absolute.
 */

/** A place in a spec file. Lines and columns are 1-based, as editors and compilers print them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One finding about a spec: what rule was broken, where, and how to fix it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable id of the rule, e.g. `unknown-key`, `size-string`, `step-name`, `threshold-range`. */
  rule: string;
  message: string;
  /** What to change, in one sentence the user can act on. */
  fix?: string;
  location: SourceLocation;
}

/** Thrown by loadSpec when a spec has errors; `message` lists them as `file:line:col: error: …`. */
export class SpecError extends Error {
  constructor(public readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'SpecError';
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.location.file}:${d.location.line}:${d.location.column}`;
  return `${where}: ${d.severity}: ${d.message} [${d.rule}]${d.fix ? `\n  fix: ${d.fix}` : ''}`;
}

/** Input types of `az ml` v2 that a parallel node can read. */
export type DataInputType = 'uri_folder' | 'uri_file' | 'mltable';

/** How a tabular input is read: from an MLTable file, or inferred from the file extension. */
export interface TabularFormat {
  /** `parquet` needs pyarrow (or fastparquet) in the worker's interpreter; its row groups are never split. */
  format: 'delimited' | 'json_lines' | 'parquet';
  /** Field separator for `delimited` (`,` for .csv, `\t` for .tsv, or MLTable `read_delimited.delimiter`). */
  delimiter: string;
  /**
   * MLTable header mode. `all_files_same_headers` (default) and `all_files_different_headers`: every file
   * starts with its own header row; `from_first_file`: only the first file has one; `no_header`: none.
   */
  header: 'all_files_same_headers' | 'all_files_different_headers' | 'from_first_file' | 'no_header';
  /** MLTable encoding name as written (`utf8`, `utf8bom`, `ascii`, `latin1`, `iso88591`, `windows1252`). */
  encoding: TableEncoding;
  /** Lines of the MLTable `paths` that produced `files`, for messages. */
  source: string;
  /** The MLTable read step's options, as the worker applies them (absent: the defaults). */
  read?: TableReadOptions;
  /** MLTable transformations after the read step, in the file's order (absent: none). */
  steps?: TableStep[];
}

/** Encodings a local run reads; every one keeps `\n` a single 0x0A byte, so byte ranges stay whole records. */
export type TableEncoding = 'utf8' | 'utf8bom' | 'ascii' | 'latin1' | 'iso88591' | 'windows1252';

/** read_delimited / read_json_lines options beyond format, delimiter, header and encoding. */
export interface TableReadOptions {
  /** read_delimited `empty_as_string`: an empty field is '' (true) or null (false, the default). */
  emptyAsString?: boolean;
  /** `include_path_column`: a first column `Path` holding the data file's path. */
  includePathColumn?: boolean;
  /** read_delimited `support_multi_line`: a quoted value may hold line breaks (default false: refused). */
  supportMultiLine?: boolean;
  /** read_json_lines `invalid_lines`: `error` (default) fails the mini-batch, `drop` skips the line. */
  invalidLines?: 'error' | 'drop';
  /** Name of the path column (`path_column`), default `Path`. */
  pathColumn?: string;
  /** read_delimited `infer_column_types` (default true); false reads every column as strings. */
  inferColumnTypes?: boolean;
}

/** One MLTable transformation after the read step (see docs/semantics.md, "MLTable"). */
export type TableStep =
  /** Columns from path segments: `{Store}/{Brand}/{file_name}.{extension}`; `{d:yyyy/MM/dd}` is a datetime. */
  | { op: 'extract_columns_from_partition_format'; partitionFormat: string }
  | { op: 'drop_columns'; columns: string[] }
  | { op: 'keep_columns'; columns: string[] }
  | { op: 'convert_column_types'; conversions: ColumnConversion[] }
  /** Row positions of the whole table, in path order: applied when the engine plans mini-batches. */
  | { op: 'skip'; count: number }
  | { op: 'take'; count: number };

export interface ColumnConversion {
  columns: string[];
  type: 'int' | 'float' | 'string' | 'boolean' | 'datetime';
  /** datetime: strptime formats tried in order. */
  formats?: string[];
  /** boolean: values read as true / false; others become null, or an error with mismatchAs 'error'. */
  trueValues?: string[];
  falseValues?: string[];
  mismatchAs?: 'true' | 'false' | 'error';
}

/** The data a parallel node splits into mini-batches (`input_data`). */
export type InputData =
  | {
      kind: 'files';
      /** The input name the binding pointed at (node-level), e.g. `input_data`. */
      inputName: string;
      /** `mltable`: an MLTable whose `paths` have no read step, a table of files. */
      type: 'uri_folder' | 'uri_file' | 'mltable';
      /** Absolute local path of the folder or file ('' when the data is only in the cloud). */
      path: string;
      /** Cloud reference of the data when it is not local (only when read with `local: false`). */
      remote?: string;
      /** Another step's output: `path` is '' until the pipeline runs that step and reads this node again. */
      upstream?: UpstreamRef;
      /** `mltable` only: the files its `paths` list, in order (skip/take already applied). */
      files?: string[];
      /** `mltable` only: `extract_columns_from_partition_format`, which names the partition_keys. */
      partitionFormat?: string;
      /** `mltable` only: the MLTable file and its paths, for messages. */
      source?: string;
    }
  | {
      kind: 'tabular';
      inputName: string;
      type: 'mltable';
      /** Absolute local path of the MLTable folder (or the single data file). */
      path: string;
      /** Absolute paths of the data files, in the order the table reads them. */
      files: string[];
      tabular: TabularFormat;
      /** MLTable `extract_columns_from_partition_format`, e.g. `{Store}/{Brand}/{fn}.csv`. */
      partitionFormat?: string;
      /** Cloud reference of the table when it is not local (only when read with `local: false`). */
      remote?: string;
      /** Another step's output: `path` is '' until the pipeline runs that step and reads this node again. */
      upstream?: UpstreamRef;
    };

/** `${{parent.jobs.<node>.outputs.<output>}}`: a port that exists once that step ran. */
export interface UpstreamRef {
  node: string;
  output: string;
}

/** A node-level input after bindings are resolved. */
export interface ResolvedInput {
  name: string;
  /** `literal` for plain values (numbers, strings, booleans) and `${{parent.inputs.x}}` literals. */
  type: DataInputType | 'literal' | 'custom_model' | 'mlflow_model' | 'uri_file' | 'uri_folder';
  /** Absolute local path for data and model inputs that live on this machine. */
  path?: string;
  /** Cloud-only reference (`azureml:…`, `https://…`); local runs cannot read it. */
  remote?: string;
  value?: string | number | boolean;
  mode?: string;
  /** Bound to another step's output (then `remote` holds the binding as written). */
  from?: UpstreamRef;
  /** The input's type was written or declared (false: it takes the upstream output's type). */
  typed?: boolean;
  /** A component input declared `optional: true`. */
  optional?: boolean;
}

export interface ResolvedOutput {
  name: string;
  type: string;
  mode?: string;
  /** Where the YAML says it goes (`azureml://…` or a local path), if it says. */
  path?: string;
}

/** Options the PRS driver reads from `program_arguments`; the rest go to the entry script. */
export interface DriverArguments {
  /** `--append_row_file_name`, lower-cased like the driver does. Default `parallel_run_step.txt`. */
  appendRowFileName: string;
  /** `--allowed_failed_percent`, 0–100. Default 100. */
  allowedFailedPercent: number;
  /** `--task_overhead_timeout` seconds. Default 30. */
  taskOverheadTimeout: number;
  /** `--progress_update_timeout` seconds; -1 means 3 × (timeout + overhead). */
  progressUpdateTimeout: number;
  /** `--first_task_creation_timeout` seconds. Default 600. */
  firstTaskCreationTimeout: number;
  /** `--append_row_dataframe_header`: write the DataFrame header once at the top of the output. */
  appendRowDataframeHeader: boolean;
  /** `--error_threshold` / `--mini_batch_error_threshold` when given as arguments (v1 style). */
  errorThreshold?: number;
  miniBatchErrorThreshold?: number;
  /** Other recognised driver options kept for display (`--resource_monitor_interval`, …). */
  other: Record<string, string>;
}

/** One `type: parallel` node, ready for the local engine and for submission. */
export interface ParallelJob {
  /** Absolute path of the YAML it came from. */
  specFile: string;
  /** Node key under `jobs:` (or the component `name` for a standalone parallel component). */
  nodeName: string;
  location: SourceLocation;
  displayName?: string;
  compute?: string;

  inputData: InputData;
  /** Files: number of files. Tabular: approximate bytes. */
  miniBatchSize: number;
  /** As written (`"10"`, `"1mb"`), for display. */
  miniBatchSizeText: string;
  /** Names of table columns, or of the MLTable partition format's columns (files); wins over mini_batch_size, as in v2. */
  partitionKeys?: string[];

  /** Failed items allowed before the job stops; -1 ignores. Default -1. */
  errorThreshold: number;
  /** Failed mini-batches allowed before the job stops; -1 ignores. Default -1. */
  miniBatchErrorThreshold: number;
  loggingLevel: 'DEBUG' | 'INFO' | 'WARNING';
  /** `resources.instance_count`, default 1. */
  instanceCount: number;
  /** Processes per node. Default: the driver's `os.cpu_count()` of the machine. */
  maxConcurrencyPerInstance: number;
  retrySettings: {
    /** Retries after the first try: tries = maxRetries + 1. Default 2 (v1: run_max_try 3). */
    maxRetries: number;
    /** Seconds allowed for one run() call (v1 run_invocation_timeout). Default 60. */
    timeout: number;
  };

  task: {
    /** Absolute path of the code folder (task.code; default: the folder of the YAML naming the entry script). */
    codeDir: string;
    /** task.code when it is a registered code asset (`azureml:…`); only when read with `local: false`. */
    codeRemote?: string;
    /** As written in the YAML (`digit_identification.py`, `batch_score.main`). */
    entryScript: string;
    /** Absolute path of the entry script file. */
    entryScriptPath: string;
    environment?: string;
    /** program_arguments after binding resolution, split like a shell would. */
    programArguments: string[];
    /** Output name that `append_row_to` binds (`${{outputs.x}}`); unset means summary_only. */
    appendRowTo?: string;
  };
  driver: DriverArguments;
  /** What the entry script sees after the driver's own arguments, in order. */
  userArguments: string[];

  inputs: Record<string, ResolvedInput>;
  outputs: Record<string, ResolvedOutput>;
  environmentVariables: Record<string, string>;
}

/** One `type: command` node: a shell command run from its code folder. */
export interface CommandJob {
  specFile: string;
  nodeName: string;
  location: SourceLocation;
  displayName?: string;
  /** The command as written, `${{inputs.x}}`, `${{outputs.y}}` and `$[[…]]` still in it. */
  command: string;
  /** Absolute code folder (`code:`; default: the folder of the YAML that holds the command). */
  codeDir: string;
  inputs: Record<string, ResolvedInput>;
  outputs: Record<string, ResolvedOutput>;
  environmentVariables: Record<string, string>;
  /** Fields that only matter in the cloud and were not applied here, e.g. `compute`, `environment`. */
  cloudOnly: string[];
}

/** A node of the pipeline in file order, with the steps it waits for. */
export interface PipelineNode {
  name: string;
  type: 'parallel' | 'command';
  /** Node names whose outputs this node reads. */
  needs: string[];
}

/** A whole spec file: its parallel nodes and the warnings found while reading it. */
export interface PipelineSpec {
  file: string;
  parallelNodes: ParallelJob[];
  warnings: Diagnostic[];
  /** The pipeline's `type: command` nodes (none for a standalone parallel file). */
  commandNodes?: CommandJob[];
  /** Every node in file order; absent for a standalone parallel file. */
  nodes?: PipelineNode[];
  /** `display_name`/`name` of the pipeline, for the run folder's name. */
  pipelineName?: string;
  /** Pipeline outputs fed by a node output: pipeline output -> {node, output}. */
  pipelineOutputs?: Record<string, UpstreamRef>;
  /** `settings.continue_on_step_failure` when written. */
  continueOnStepFailure?: boolean;
}

export interface LoadSpecOptions {
  /** `--set` overrides: `inputs.batch_size=1`, `jobs.score.mini_batch_size=5`, `mini_batch_size=5`. */
  overrides?: string[];
  /** Processes per node when the YAML leaves it unset (the driver uses os.cpu_count()). */
  cpuCount?: number;
  /**
   * Read only this node for errors (`--node X`): other nodes are read for their outputs only, so
   * their problems (a missing input folder) never block it.
   */
  onlyNode?: string;
}
