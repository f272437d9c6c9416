/**
 * The schema of a `type: parallel` node and of the pipeline around it: every key this product knows,
 * its type, default, meaning and v1 (ParallelRunConfig) name. Unknown-key checks and editor hovers
 * both read this one table, so they cannot drift apart.
 */

export interface FieldDoc {
  type: string;
  default?: string;
  description: string;
  /** The v1 `ParallelRunConfig` / `ParallelRunStep` name, for users coming from the tutorial. */
  v1?: string;
  /** A map whose keys are the user's own (tags, environment variables): no key checks inside. */
  freeform?: boolean;
  /** Only at the top of a standalone parallel component or job file, not on a pipeline node. */
  fileOnly?: boolean;
}

/** Keys of a parallel node (or a standalone parallel component/job), dotted for nested fields. */
export const FIELD_DOCS: Readonly<Record<string, FieldDoc>> = {
  type: {
    type: '"parallel"',
    description: 'Node type. `parallel` runs the entry script over mini-batches on many processes.',
  },
  name: { type: 'string', description: 'Name of the node or component.' },
  display_name: { type: 'string', description: 'Name shown in the studio UI.' },
  description: { type: 'string', description: 'Free text shown in the studio UI.' },
  tags: { type: 'map', description: 'Key/value tags.', freeform: true },
  properties: { type: 'map', description: 'Key/value properties.', freeform: true },
  compute: {
    type: 'string',
    description: 'Compute target; falls back to the pipeline `compute` or `settings.default_compute`.',
    v1: 'compute_target',
  },
  component: {
    type: 'path | azureml:name:version',
    description: "A parallel component YAML whose fields this node uses; the node's own fields win.",
  },
  inputs: {
    type: 'map',
    description: 'Inputs: a binding (`${{parent.inputs.x}}`), a literal, or `{type, path, mode}`.',
    v1: 'inputs, side_inputs',
    freeform: true,
  },
  outputs: {
    type: 'map',
    description: 'Outputs: a binding (`${{parent.outputs.x}}`) or `{type, mode, path}`.',
    v1: 'output',
    freeform: true,
  },
  input_data: {
    type: '${{inputs.x}}',
    description: 'The input split into mini-batches: uri_folder/uri_file give lists of files, mltable gives DataFrames.',
    v1: 'inputs[0]',
  },
  mini_batch_size: {
    type: 'string (size)',
    default: 'files: 10; tabular: 1MB',
    description:
      'Files: number of files per mini-batch. Tabular: approximate bytes per mini-batch (`100kb`, `10mb`, `1gb`, ×1024 units). Ignored when partition_keys is set.',
    v1: 'mini_batch_size',
  },
  partition_keys: {
    type: 'list of strings',
    description:
      'One mini-batch per distinct combination of these keys, matched by name: table columns, or the names of an MLTable partition format (`{Store}/{Brand}/{file_name}.csv`). Wins over mini_batch_size.',
    v1: 'partition_keys',
  },
  error_threshold: {
    type: 'integer',
    default: '-1',
    description: 'Failed items (files or rows) allowed before the job stops; -1 ignores failures.',
    v1: 'error_threshold',
  },
  mini_batch_error_threshold: {
    type: 'integer',
    default: '-1',
    description: 'Failed mini-batches allowed before the job stops; -1 ignores failures.',
    v1: 'allowed_failed_count',
  },
  logging_level: {
    type: 'WARNING | INFO | DEBUG',
    default: 'INFO',
    description: "Level of the driver's and the EntryScript logger's messages.",
    v1: 'logging_level',
  },
  resources: { type: 'map', description: 'Machines for the job.' },
  'resources.instance_count': {
    type: 'integer',
    default: '1',
    description: 'Number of nodes (machines).',
    v1: 'node_count',
  },
  'resources.instance_type': { type: 'string', description: 'VM size on Kubernetes compute.' },
  'resources.shm_size': { type: 'string', description: 'Shared memory of the docker container, e.g. `2g`.' },
  'resources.properties': { type: 'map', description: 'Extra resource properties.', freeform: true },
  'resources.docker_args': { type: 'string', description: 'Extra `docker run` arguments.' },
  max_concurrency_per_instance: {
    type: 'integer',
    default: "the machine's CPU count",
    description: 'Worker processes per node.',
    v1: 'process_count_per_node',
  },
  retry_settings: { type: 'map', description: 'Retries and timeout of one run() call.' },
  'retry_settings.max_retries': {
    type: 'integer',
    default: '2',
    description: 'Retries of a failed or timed-out mini-batch after the first try (tries = max_retries + 1).',
    v1: 'run_max_try (counts tries, default 3)',
  },
  'retry_settings.timeout': {
    type: 'integer (seconds)',
    default: '60',
    description: 'Seconds one run() call may take before its process is restarted and the mini-batch retried.',
    v1: 'run_invocation_timeout',
  },
  task: { type: 'map', description: 'What each worker runs.' },
  'task.type': { type: '"run_function"', default: 'run_function', description: 'The only task type of parallel jobs.' },
  'task.code': {
    type: 'path',
    default: "the YAML's folder",
    description: 'Folder holding the entry script; uploaded as the snapshot.',
    v1: 'source_directory',
  },
  'task.entry_script': {
    type: 'string',
    description: 'Script with init()/run(mini_batch)/shutdown(), relative to task.code; `pkg.module` names work too.',
    v1: 'entry_script',
  },
  'task.environment': {
    type: 'azureml:env:version | map',
    description: 'Environment (image + conda file) the workers run in.',
    v1: 'environment',
  },
  'task.program_arguments': {
    type: 'string',
    description:
      "Arguments: the driver takes its own (`--append_row_file_name`, `--allowed_failed_percent`, `--task_overhead_timeout`, …) and passes the rest to the entry script's sys.argv.",
    v1: 'arguments',
  },
  'task.append_row_to': {
    type: '${{outputs.x}}',
    description: 'Collect what run() returns into one file of this output (append_row); unset means summary_only.',
    v1: 'output_action="append_row"',
  },
  'task.environment_variables': { type: 'map', description: 'Environment variables of the workers.', freeform: true },
  environment_variables: {
    type: 'map',
    description: 'Environment variables of the workers.',
    v1: 'environment_variables',
    freeform: true,
  },
  is_deterministic: {
    type: 'boolean',
    default: 'true',
    description: 'Reuse a previous run with the same inputs.',
    v1: 'allow_reuse',
  },
  identity: { type: 'map', description: 'Identity the job accesses data with.', freeform: true },
  comment: { type: 'string', description: 'Free text.' },
  $schema: { type: 'url', description: 'JSON schema of the file.', fileOnly: true },
  version: { type: 'string', description: 'Component version.', fileOnly: true },
  experiment_name: { type: 'string', description: 'Experiment of a standalone parallel job.', fileOnly: true },
};

/** Keys of the pipeline around the nodes. */
export const PIPELINE_FIELD_DOCS: Readonly<Record<string, FieldDoc>> = {
  $schema: { type: 'url', description: 'JSON schema of the file.' },
  type: { type: '"pipeline"', description: 'A pipeline job: steps under `jobs:`.' },
  name: { type: 'string', description: 'Job name (unique in the workspace).' },
  display_name: { type: 'string', description: 'Name shown in the studio UI.' },
  description: { type: 'string', description: 'Free text.' },
  tags: { type: 'map', description: 'Key/value tags.', freeform: true },
  experiment_name: { type: 'string', description: 'Experiment the job is filed under.' },
  properties: { type: 'map', description: 'Key/value properties.', freeform: true },
  settings: { type: 'map', description: 'Pipeline settings.' },
  'settings.default_compute': { type: 'string', description: 'Compute of steps that set none.' },
  'settings.default_datastore': { type: 'string', description: 'Datastore of outputs that set none.' },
  'settings.continue_on_step_failure': { type: 'boolean', description: 'Keep running other steps after one fails.' },
  'settings.force_rerun': { type: 'boolean', description: 'Never reuse earlier step runs.', v1: 'allow_reuse=False' },
  'settings.default_environment': { type: 'string', description: 'Environment of steps that set none.' },
  'settings.on_init': { type: 'string', description: 'Step run before the others.' },
  'settings.on_finalize': { type: 'string', description: 'Step run after the others.' },
  compute: { type: 'string', description: 'Compute of steps that set none.' },
  inputs: {
    type: 'map',
    description: 'Pipeline inputs: literals (numbers, strings) or `{type, path, mode}` data.',
    v1: 'PipelineParameter, Dataset',
    freeform: true,
  },
  outputs: { type: 'map', description: 'Pipeline outputs: `{type, mode, path}`.', freeform: true },
  jobs: { type: 'map', description: 'The steps, by node name.', freeform: true },
  identity: { type: 'map', description: 'Identity the job accesses data with.', freeform: true },
  services: { type: 'map', description: 'Interactive services (SSH, Jupyter) of the job.', freeform: true },
};

export const INPUT_TYPES = [
  'uri_folder',
  'uri_file',
  'mltable',
  'custom_model',
  'mlflow_model',
  'integer',
  'number',
  'string',
  'boolean',
] as const;
export const LITERAL_INPUT_TYPES = ['integer', 'number', 'string', 'boolean'];

/** Keys of an input written as a map (azure-ai-ml's InputSchema). */
export const INPUT_KEYS = [
  'type',
  'path',
  'mode',
  'description',
  'optional',
  'default',
  'value',
  'min',
  'max',
  'enum',
  'datastore',
  'path_on_compute',
  'is_control',
];
export const OUTPUT_KEYS = [
  'type',
  'path',
  'mode',
  'description',
  'name',
  'version',
  'datastore',
  'path_on_compute',
  'is_control',
  'early_available',
];

/** The keys allowed directly under `prefix` (`''` for the node itself) of a table. */
export function keysUnder(prefix: string, table: Readonly<Record<string, FieldDoc>> = FIELD_DOCS, fileLevel = false): string[] {
  const start = prefix ? `${prefix}.` : '';
  return Object.keys(table)
    .filter((key) => key.startsWith(start) && !key.slice(start.length).includes('.'))
    .filter((key) => fileLevel || !table[key].fileOnly)
    .map((key) => key.slice(start.length));
}

/**
 * The doc of the key at a YAML path, for hovers: `['jobs', 'score', 'retry_settings', 'timeout']` in a
 * pipeline, `['mini_batch_size']` in a standalone parallel file.
 */
export function fieldDocFor(yamlPath: readonly string[], fileType: 'pipeline' | 'parallel'): FieldDoc | undefined {
  if (fileType === 'pipeline' && yamlPath[0] === 'jobs' && yamlPath.length > 2) return FIELD_DOCS[yamlPath.slice(2).join('.')];
  const table = fileType === 'pipeline' ? PIPELINE_FIELD_DOCS : FIELD_DOCS;
  return table[yamlPath.join('.')];
}
