/** One `type: parallel` node, read into a ParallelJob with bindings resolved and defaults applied. */
import type { SpecContext } from './context';
import { keysUnder } from './fields';
import { readInputData } from './input-data';
import { publicInput, readInput, type BoundInput } from './inputs';
import { checkKeys } from './keys';
import { checkPartitionKeyNames, readMiniBatchSize, readPartitionKeys } from './mini-batch';
import { publicOutput, readOutput, type BoundOutput } from './outputs';
import { fieldValue, integerField, nodeAt, type ValueScope } from './scalars';
import { readEnvironmentVariables, readTask } from './task';
import type { DriverArguments, ParallelJob, SourceLocation } from './types';
import { stringOf, valueOf, type YamlMap } from './yaml-source';
import { DRIVER_DEFAULTS } from './driver-defaults';

export interface NodeSource {
  specFile: string;
  /** Node key under `jobs:`, or the `name` of a standalone parallel file. */
  nodeName: string;
  nodeLocation: SourceLocation;
  /** The node's fields over its component's (inputs and outputs: the node's own). */
  map: YamlMap;
  /** Inputs and outputs as the component declares them (types, defaults). */
  declaredInputs?: YamlMap;
  declaredOutputs?: YamlMap;
  /** `jobs.<node>.` for pipeline nodes, '' for a standalone file. */
  setPrefix: string;
}

/** The pipeline around a node: what `${{parent.…}}` can reach, and compute defaults. */
export interface PipelinePorts {
  inputs?: Map<string, BoundInput>;
  outputs?: Map<string, BoundOutput>;
  compute?: string;
  /** Every node's outputs (node -> output -> type), for `${{parent.jobs.<node>.outputs.<o>}}`. */
  nodeOutputs?: Map<string, Map<string, string>>;
}

const LOGGING_LEVELS = ['DEBUG', 'INFO', 'WARNING'] as const;

export function readParallelNode(source: NodeSource, pipeline: PipelinePorts, ctx: SpecContext): ParallelJob | undefined {
  const { map } = source;
  checkNestedMaps(map, ctx);
  const inputs = readNodeInputs(source, pipeline, ctx);
  const outputs = readNodeOutputs(source, pipeline, ctx);
  const scope: ValueScope = { ctx, nodeInputs: inputs, parentInputs: pipeline.inputs };
  const inputData = readInputData(map, { ctx, inputs, nodeLocation: source.nodeLocation, setPrefix: source.setPrefix });
  const miniBatch = readMiniBatchSize(map, inputData?.kind, scope);
  const partitionKeys = readPartitionKeys(map, ctx);
  const taskReading = readTask(map, { ctx, inputs, outputs, nodeLocation: source.nodeLocation });
  const settings = readRunSettings(map, scope);
  if (!inputData || !taskReading || !miniBatch) return undefined;
  if (partitionKeys && !checkPartitionKeyNames(map, partitionKeys, inputData, ctx)) return undefined;

  const { driver } = taskReading;
  warnDriverThresholds(map, driver, ctx);
  const job: ParallelJob = {
    specFile: source.specFile,
    nodeName: source.nodeName,
    location: source.nodeLocation,
    inputData,
    miniBatchSize: miniBatch.size,
    miniBatchSizeText: miniBatch.text,
    // The driver's argparse keeps the last value: program_arguments come after the node's own.
    errorThreshold: driver.errorThreshold ?? settings.errorThreshold,
    miniBatchErrorThreshold: driver.miniBatchErrorThreshold ?? settings.miniBatchErrorThreshold,
    loggingLevel: settings.loggingLevel,
    instanceCount: settings.instanceCount,
    maxConcurrencyPerInstance: settings.maxConcurrencyPerInstance,
    retrySettings: { maxRetries: settings.maxRetries, timeout: settings.timeout },
    task: taskReading.task,
    driver,
    userArguments: taskReading.userArguments,
    inputs: Object.fromEntries([...inputs].map(([name, input]) => [name, publicInput(input)])),
    outputs: Object.fromEntries([...outputs].map(([name, output]) => [name, publicOutput(output)])),
    environmentVariables: {
      ...readEnvironmentVariables(valueOf(map, 'environment_variables'), ctx),
      ...taskReading.environmentVariables,
    },
  };
  const displayName = stringOf(valueOf(map, 'display_name'));
  if (displayName !== undefined) job.displayName = displayName;
  const compute = stringOf(valueOf(map, 'compute')) ?? pipeline.compute;
  if (compute !== undefined) job.compute = compute;
  if (partitionKeys) job.partitionKeys = partitionKeys;
  return job;
}

const NESTED_MAPS = ['inputs', 'outputs', 'resources', 'retry_settings'];

function checkNestedMaps(map: YamlMap, ctx: SpecContext): void {
  for (const key of NESTED_MAPS) {
    const node = valueOf(map, key);
    if (!node) continue;
    if (node.kind !== 'map') {
      ctx.findings.error(
        'wrong-type',
        node.loc,
        `\`${key}\` must be a map.`,
        `Write \`${key}:\` followed by indented \`name: value\` lines.`,
      );
    } else if (key === 'resources' || key === 'retry_settings') {
      checkKeys(node, keysUnder(key), `\`${key}\``, ctx.findings);
    }
  }
}

export function readNodeInputs(source: NodeSource, pipeline: PipelinePorts, ctx: SpecContext): Map<string, BoundInput> {
  const own = valueOf(source.map, 'inputs');
  const ownMap = own?.kind === 'map' ? own : undefined;
  const declared = source.declaredInputs;
  const names = [...new Set([...(declared?.entries ?? []), ...(ownMap?.entries ?? [])].map((e) => e.key))];
  const inputs = new Map<string, BoundInput>();
  for (const name of names) {
    const declaration = declared?.entries.find((e) => e.key === name)?.value;
    const declaredType = declaration?.kind === 'map' ? stringOf(valueOf(declaration, 'type')) : undefined;
    const value = ownMap?.entries.find((e) => e.key === name)?.value;
    const scope = {
      ctx,
      parentInputs: pipeline.inputs,
      declaredType,
      setPath: `${source.setPrefix}inputs.${name}.path`,
      nodeOutputs: pipeline.nodeOutputs,
    };
    // An input the node leaves unbound keeps the component's declaration (its type and default).
    inputs.set(name, value ? readInput(name, value, scope) : readInput(name, declaration!, { ...scope, declaredType: undefined }));
  }
  return inputs;
}

export function readNodeOutputs(source: NodeSource, pipeline: PipelinePorts, ctx: SpecContext): Map<string, BoundOutput> {
  const own = valueOf(source.map, 'outputs');
  const ownMap = own?.kind === 'map' ? own : undefined;
  const declared = source.declaredOutputs;
  const names = [...new Set([...(declared?.entries ?? []), ...(ownMap?.entries ?? [])].map((e) => e.key))];
  const outputs = new Map<string, BoundOutput>();
  for (const name of names) {
    const declaration = declared?.entries.find((e) => e.key === name)?.value;
    const declaredType = declaration?.kind === 'map' ? stringOf(valueOf(declaration, 'type')) : undefined;
    const value = ownMap?.entries.find((e) => e.key === name)?.value ?? declaration!;
    outputs.set(name, readOutput(name, value, { ctx, parentOutputs: pipeline.outputs, declaredType }));
  }
  return outputs;
}

interface RunSettings {
  errorThreshold: number;
  miniBatchErrorThreshold: number;
  loggingLevel: ParallelJob['loggingLevel'];
  instanceCount: number;
  maxConcurrencyPerInstance: number;
  maxRetries: number;
  timeout: number;
}

function readRunSettings(map: YamlMap, scope: ValueScope): RunSettings {
  const threshold = (meaning: string) => ({ rule: 'threshold-range', min: -1, meaning });
  return {
    errorThreshold:
      integerField(map, 'error_threshold', scope, threshold('failed items allowed; -1 ignores failures')) ?? DRIVER_DEFAULTS.errorThreshold,
    miniBatchErrorThreshold:
      integerField(map, 'mini_batch_error_threshold', scope, threshold('failed mini-batches allowed; -1 ignores failures')) ??
      DRIVER_DEFAULTS.miniBatchErrorThreshold,
    loggingLevel: readLoggingLevel(map, scope),
    instanceCount:
      integerField(map, 'resources.instance_count', scope, { rule: 'instance-count', min: 1, meaning: 'nodes' }) ??
      DRIVER_DEFAULTS.instanceCount,
    maxConcurrencyPerInstance:
      integerField(map, 'max_concurrency_per_instance', scope, {
        rule: 'max-concurrency',
        min: 1,
        meaning: 'worker processes per node',
      }) ?? scope.ctx.cpuCount,
    maxRetries:
      integerField(map, 'retry_settings.max_retries', scope, {
        rule: 'retry-settings',
        min: 0,
        meaning: 'retries after the first try',
      }) ?? DRIVER_DEFAULTS.maxRetries,
    timeout:
      integerField(map, 'retry_settings.timeout', scope, {
        rule: 'retry-settings',
        min: 1,
        meaning: 'seconds per run() call',
      }) ?? DRIVER_DEFAULTS.timeout,
  };
}

function readLoggingLevel(map: YamlMap, scope: ValueScope): ParallelJob['loggingLevel'] {
  const field = fieldValue(map, 'logging_level', scope);
  if (!field) return DRIVER_DEFAULTS.loggingLevel;
  const level = String(field.value);
  if ((LOGGING_LEVELS as readonly string[]).includes(level)) return level as ParallelJob['loggingLevel'];
  const upper = level.toUpperCase();
  const fix = (LOGGING_LEVELS as readonly string[]).includes(upper)
    ? `Write it in capitals: \`${upper}\`.`
    : `Use one of: ${LOGGING_LEVELS.join(', ')}.`;
  scope.ctx.findings.error(
    'logging-level',
    field.node.loc,
    `logging_level \`${level}\`${field.via ? ` (from ${field.via})` : ''} is not WARNING, INFO or DEBUG.`,
    fix,
  );
  return DRIVER_DEFAULTS.loggingLevel;
}

/** v1-style threshold arguments silently beat the node's fields in the cloud; say so here. */
function warnDriverThresholds(map: YamlMap, driver: DriverArguments, ctx: SpecContext): void {
  const args = nodeAt(map, 'task.program_arguments');
  const pairs: [number | undefined, string, string][] = [
    [driver.errorThreshold, 'error_threshold', '--error_threshold'],
    [driver.miniBatchErrorThreshold, 'mini_batch_error_threshold', '--mini_batch_error_threshold/--allowed_failed_count'],
  ];
  for (const [value, field, option] of pairs) {
    if (value === undefined || !args || !nodeAt(map, field)) continue;
    ctx.findings.warning(
      'driver-argument-override',
      args.loc,
      `${option} ${value} in program_arguments overrides \`${field}\`: the driver keeps the last value it is given.`,
      `Keep one: set \`${field}\` and drop ${option} from program_arguments.`,
    );
  }
}
