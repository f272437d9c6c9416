/**
 * The file as a whole: a pipeline (`type: pipeline`, steps under `jobs:`) or a standalone parallel
 * component/job (`type: parallel` at the top). Finds the parallel nodes, applies `--set`, reads them.
 */
import * as path from 'path';
import type { SpecContext } from './context';
import { readComponent, mergeComponent } from './component-ref';
import { FIELD_DOCS, PIPELINE_FIELD_DOCS, keysUnder } from './fields';
import { readInputs } from './inputs';
import { checkKeys } from './keys';
import { didYouMean } from './suggest';
import { applyOverrides } from './overrides';
import { readOutputs } from './outputs';
import { readParallelNode, type NodeSource } from './parallel-node';
import { readCommandNode } from './command-node';
import { Findings } from './findings';
import { wholeBinding } from './bindings';
import type { CommandJob, ParallelJob, PipelineNode, SourceLocation, UpstreamRef } from './types';
import { entryOf, fileLocation, stringOf, valueOf, type YamlEntry, type YamlMap, type YamlNode } from './yaml-source';

/**
 * Pipeline node names as azure-ai-ml enforces them (`is_valid_node_name` in azure/ai/ml/_utils/utils.py):
 * a Python identifier in lower-case ASCII. v1 step names (`^[a-z]([-a-z0-9]*[a-z0-9])?$`) are stricter
 * about `_` and laxer about `-`; v2 is what the service applies to these files.
 */
const NODE_NAME = /^[a-z_][a-z0-9_]*$/;

/** What a spec file holds: its parallel nodes and, for a pipeline, every node in file order. */
export interface DocumentReading {
  parallelNodes: ParallelJob[];
  commandNodes?: CommandJob[];
  nodes?: PipelineNode[];
  pipelineName?: string;
  pipelineOutputs?: Record<string, UpstreamRef>;
  continueOnStepFailure?: boolean;
}

export function readDocument(root: YamlNode, overrides: readonly string[], ctx: SpecContext): DocumentReading {
  if (root.kind !== 'map') {
    ctx.findings.error(
      'wrong-type',
      root.loc,
      'The spec must be a YAML map (a pipeline or a parallel job).',
      'Start the file with `type: pipeline` and `jobs:`, or `type: parallel`.',
    );
    return { parallelNodes: [] };
  }
  const typeNode = valueOf(root, 'type');
  const type = stringOf(typeNode) ?? (valueOf(root, 'jobs') ? 'pipeline' : undefined);
  if (type === 'parallel') return { parallelNodes: readStandalone(root, overrides, ctx) };
  if (type === 'pipeline') return readPipeline(root, overrides, ctx);
  const at = typeNode?.loc ?? root.loc;
  ctx.findings.error(
    'no-parallel-node',
    at,
    type === 'flow' || isFlowSchema(root)
      ? 'This file is a prompt flow, not a parallel job.'
      : type
        ? `This is a \`${type}\` job: there is no parallel node to run.`
        : 'This file has neither `type: pipeline` nor `type: parallel`.',
    'Open a pipeline YAML with a `type: parallel` node, or a parallel component (`type: parallel`).',
  );
  return { parallelNodes: [] };
}

function isFlowSchema(map: YamlMap): boolean {
  return /flow/i.test(stringOf(valueOf(map, '$schema')) ?? '');
}

function readStandalone(root: YamlMap, overrides: readonly string[], ctx: SpecContext): ParallelJob[] {
  checkKeys(root, keysUnder('', FIELD_DOCS, true), 'the parallel job', ctx.findings);
  applyOverrides(overrides, { root, nodes: new Map(), otherNodes: [], standalone: true }, ctx.findings);
  const nameNode = valueOf(root, 'name');
  const nodeName = stringOf(nameNode) ?? path.basename(ctx.specFile).replace(/\.[^.]*$/, '');
  const source: NodeSource = {
    specFile: ctx.specFile,
    nodeName,
    nodeLocation: (nameNode ?? root).loc,
    map: root,
    setPrefix: '',
  };
  const job = readParallelNode(source, { compute: stringOf(valueOf(root, 'compute')) }, ctx);
  return job ? [job] : [];
}

function readPipeline(root: YamlMap, overrides: readonly string[], ctx: SpecContext): DocumentReading {
  checkKeys(root, keysUnder('', PIPELINE_FIELD_DOCS), 'the pipeline', ctx.findings);
  const settings = valueOf(root, 'settings');
  if (settings?.kind === 'map') checkSettingsKeys(settings, ctx);
  const found = findNodes(root, ctx);
  const { sources, commands, otherNodes, unreadable } = found;
  const nodes = new Map(sources.map((s) => [s.nodeName, s.map]));
  const commandNodes = new Map(commands.map((s) => [s.nodeName, s.map]));
  applyOverrides(overrides, { root, nodes, otherNodes, standalone: false, commandNodes }, ctx.findings);
  const ports = { ...pipelinePorts(root, ctx), nodeOutputs: nodeOutputTypes([...sources, ...commands]) };
  if (sources.length === 0 && commands.length === 0 && unreadable === 0) {
    const jobs = entryOf(root, 'jobs');
    ctx.findings.error(
      'no-parallel-node',
      jobs?.keyLoc ?? fileLocation(ctx.specFile),
      `No \`type: parallel\` node in this pipeline${otherNodes.length ? ` (nodes: ${otherNodes.join(', ')})` : ''}.`,
      'Add a node with `type: parallel`, or open the YAML that has one.',
    );
  }
  // `--node X`: the other nodes are read for their ports only; their problems are not X's.
  const ctxFor = (name: string): SpecContext =>
    ctx.onlyNode === undefined || ctx.onlyNode === name ? ctx : { ...ctx, findings: new Findings() };
  const parallelNodes = sources.flatMap((source) => readParallelNode(source, ports, ctxFor(source.nodeName)) ?? []);
  const commandJobs = commands.flatMap((source) => readCommandNode(source, ports, ctxFor(source.nodeName)) ?? []);
  const order = found.order.filter((name) => nodes.has(name) || commandNodes.has(name));
  const pipelineNodes = order.map((name): PipelineNode => {
    const job = parallelNodes.find((n) => n.nodeName === name) ?? commandJobs.find((n) => n.nodeName === name);
    const needs = new Set(Object.values(job?.inputs ?? {}).flatMap((i) => (i.from ? [i.from.node] : [])));
    return { name, type: nodes.has(name) ? 'parallel' : 'command', needs: [...needs] };
  });
  checkCycles(pipelineNodes, found.locations, ctx);
  const reading: DocumentReading = {
    parallelNodes,
    commandNodes: commandJobs,
    nodes: pipelineNodes,
    pipelineOutputs: pipelineOutputBindings([...sources, ...commands]),
  };
  const name = stringOf(valueOf(root, 'name')) ?? stringOf(valueOf(root, 'display_name'));
  if (name !== undefined) reading.pipelineName = name;
  const continueOn = settings?.kind === 'map' ? valueOf(settings, 'continue_on_step_failure') : undefined;
  if (continueOn?.kind === 'scalar' && typeof continueOn.value === 'boolean') reading.continueOnStepFailure = continueOn.value;
  return reading;
}

/** Output names and types of every readable node, for binding checks before the nodes are read. */
function nodeOutputTypes(sources: NodeSource[]): Map<string, Map<string, string>> {
  const all = new Map<string, Map<string, string>>();
  for (const source of sources) {
    const outputs = new Map<string, string>();
    for (const decl of [source.declaredOutputs, valueOf(source.map, 'outputs')]) {
      if (decl?.kind !== 'map') continue;
      for (const entry of decl.entries) {
        const type = entry.value.kind === 'map' ? stringOf(valueOf(entry.value, 'type')) : undefined;
        if (type !== undefined || !outputs.has(entry.key)) outputs.set(entry.key, type ?? outputs.get(entry.key) ?? 'uri_folder');
      }
    }
    all.set(source.nodeName, outputs);
  }
  return all;
}

/** `outputs: {x: ${{parent.outputs.y}}}` on a node: the pipeline output y is that node output. */
function pipelineOutputBindings(sources: NodeSource[]): Record<string, UpstreamRef> {
  const bound: Record<string, UpstreamRef> = {};
  for (const source of sources) {
    const outputs = valueOf(source.map, 'outputs');
    for (const entry of outputs?.kind === 'map' ? outputs.entries : []) {
      const value = entry.value.kind === 'map' ? valueOf(entry.value, 'path') : entry.value;
      const target = value?.kind === 'scalar' ? wholeBinding(value.value) : undefined;
      if (target?.scope === 'parent.outputs') bound[target.name] = { node: source.nodeName, output: entry.key };
    }
  }
  return bound;
}

function checkCycles(nodes: PipelineNode[], locations: Map<string, SourceLocation>, ctx: SpecContext): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      ctx.findings.error(
        'step-cycle',
        locations.get(name) ?? fileLocation(ctx.specFile),
        `Steps wait for each other in a circle: ${cycle.join(' -> ')}.`,
        'Bind one of these inputs to a pipeline input or local data instead of a step output.',
      );
      return;
    }
    state.set(name, 'visiting');
    for (const need of byName.get(name)?.needs ?? []) if (byName.has(need)) visit(need, [...trail, name]);
    state.set(name, 'done');
  };
  for (const node of nodes) visit(node.name, []);
}

/** azure-ai-ml passes unknown settings through to the service, so a stray key is only suspicious. */
function checkSettingsKeys(settings: YamlMap, ctx: SpecContext): void {
  const known = keysUnder('settings', PIPELINE_FIELD_DOCS);
  for (const entry of settings.entries) {
    if (known.includes(entry.key)) continue;
    ctx.findings.warning(
      'unknown-key',
      entry.keyLoc,
      `\`settings.${entry.key}\` is not a setting this product knows; it is passed on as written.${didYouMean(entry.key, known)}`,
      `Known settings: ${known.join(', ')}.`,
    );
  }
}

function pipelinePorts(
  root: YamlMap,
  ctx: SpecContext,
): { inputs: ReturnType<typeof readInputs>; outputs: ReturnType<typeof readOutputs>; compute?: string } {
  const mapAt = (key: string): YamlMap | undefined => {
    const node = valueOf(root, key);
    if (node && node.kind !== 'map')
      ctx.findings.error(
        'wrong-type',
        node.loc,
        `The pipeline's \`${key}\` must be a map of name: value.`,
        `Write \`${key}:\` followed by indented \`name: …\` lines.`,
      );
    return node?.kind === 'map' ? node : undefined;
  };
  const settings = valueOf(root, 'settings');
  const defaultCompute = settings?.kind === 'map' ? stringOf(valueOf(settings, 'default_compute')) : undefined;
  return {
    inputs: readInputs(mapAt('inputs'), (name) => ({ ctx, setPath: `inputs.${name}.path` })),
    outputs: readOutputs(mapAt('outputs'), () => ({ ctx })),
    compute: stringOf(valueOf(root, 'compute')) ?? defaultCompute,
  };
}

interface FoundNodes {
  sources: NodeSource[];
  commands: NodeSource[];
  otherNodes: string[];
  /** Nodes whose component could not be read (already reported). */
  unreadable: number;
  /** Every node name in file order. */
  order: string[];
  locations: Map<string, SourceLocation>;
}

function findNodes(root: YamlMap, ctx: SpecContext): FoundNodes {
  const jobs = valueOf(root, 'jobs');
  const found: FoundNodes = { sources: [], commands: [], otherNodes: [], unreadable: 0, order: [], locations: new Map() };
  if (!jobs) return found;
  if (jobs.kind !== 'map') {
    ctx.findings.error(
      'wrong-type',
      jobs.loc,
      '`jobs` must be a map of node name: node.',
      'Write `jobs:` followed by indented `node_name:` maps.',
    );
    return found;
  }
  for (const entry of jobs.entries) {
    found.order.push(entry.key);
    found.locations.set(entry.key, entry.keyLoc);
    const nodeCtx = ctx.onlyNode === undefined || ctx.onlyNode === entry.key ? ctx : { ...ctx, findings: new Findings() };
    const source = entry.value.kind === 'map' ? nodeSource(entry, entry.value, nodeCtx) : undefined;
    if (source === undefined) found.otherNodes.push(entry.key);
    else if (source === null) found.unreadable++;
    else if (source.kind === 'command') found.commands.push(source.source);
    else found.sources.push(source.source);
  }
  return found;
}

/** Node types a local run cannot run, and why, in the words the user reads. */
const NOT_LOCAL: Record<string, string> = {
  sweep: 'a sweep (hyperparameter search) runs in the cloud only',
  spark: 'a Spark step needs a Spark cluster',
  automl: 'an AutoML step runs in the cloud only',
  data_transfer: 'a data transfer step copies cloud data',
  import: 'a data import step reads a cloud source',
  pipeline: 'a nested pipeline component is not run locally yet',
  flow: 'it is a prompt flow, not a parallel job',
};

type FoundSource = { kind: 'parallel' | 'command'; source: NodeSource };

/**
 * The node as a parallel or command NodeSource; undefined when it is a kind this product does not run
 * (reported as a warning: the file is fine for the cloud), null when it is unreadable.
 */
function nodeSource(entry: YamlEntry, node: YamlMap, ctx: SpecContext): FoundSource | null | undefined {
  const type = stringOf(valueOf(node, 'type'));
  const componentNode = valueOf(node, 'component');
  const reading = componentNode ? readComponent(componentNode, ctx) : undefined;
  if (reading && !reading.ok) {
    if (reading.remote && (type === 'parallel' || type === 'command' || type === undefined)) {
      const registry = /^azureml:\/\/registries\/([^/]+)\//i.exec(reading.remote)?.[1];
      const message = registry
        ? `Component ${reading.remote} is from the registry ${registry} (not available offline).`
        : `Component ${reading.remote} is registered in the workspace; its files are not here.`;
      const fix = `Point \`component:\` at a local ${type ?? 'component'} YAML (e.g. ./${type ?? 'my'}_component.yml) with the same inputs and outputs.`;
      if (type === 'parallel') ctx.findings.error('remote-component', componentNode!.loc, message, fix);
      else ctx.findings.warning('node-not-local', componentNode!.loc, `Step \`${entry.key}\` cannot run locally: ${message}`, fix);
    }
    return type === 'parallel' ? null : undefined;
  }
  const component = reading?.component;
  const effective = type ?? component?.type ?? (valueOf(node, 'command') ? 'command' : undefined);
  if (effective === 'parallel' || effective === 'command') {
    if (component && component.type !== effective) {
      const flow = component.type === 'flow' || isFlowSchema(component.map);
      ctx.findings.error(
        'component-type',
        componentNode!.loc,
        flow
          ? `This component is a prompt flow, not a ${effective === 'parallel' ? 'parallel job' : 'command'}.`
          : `This node is \`type: ${effective}\` but its component is \`type: ${component.type ?? '(none)'}\`.`,
        `Point \`component:\` at a ${effective} component, or change the node type.`,
      );
      return null;
    }
    if (effective === 'parallel') checkKeys(node, keysUnder(''), `parallel node \`${entry.key}\``, ctx.findings);
    checkNodeName(entry, ctx);
    const merged = component ? mergeComponent(component.map, node) : { map: node };
    const source: NodeSource = {
      specFile: ctx.specFile,
      nodeName: entry.key,
      nodeLocation: entry.keyLoc,
      setPrefix: `jobs.${entry.key}.`,
      ...merged,
    };
    return { kind: effective, source };
  }
  const kind = component?.type === 'flow' || (component && isFlowSchema(component.map)) ? 'flow' : effective;
  const why = kind !== undefined ? NOT_LOCAL[kind] : undefined;
  ctx.findings.warning(
    'node-not-local',
    entry.keyLoc,
    `Step \`${entry.key}\` cannot run locally: ${why ?? `\`type: ${kind ?? '(none)'}\` is not a parallel or command step`}.`,
    "Run the other steps one by one with --node NAME, giving this step's outputs with --set jobs.<node>.inputs.<x>.path=….",
  );
  return undefined;
}

function checkNodeName(entry: YamlEntry, ctx: SpecContext): void {
  if (NODE_NAME.test(entry.key)) return;
  const suggestion = entry.key
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^([0-9])/, '_$1');
  ctx.findings.error(
    'step-name',
    entry.keyLoc,
    `Node name \`${entry.key}\` is not valid: azure ml wants a lower-case Python identifier (a-z, 0-9, _; not starting with a digit).`,
    `Rename the node, e.g. \`${suggestion}\`.`,
  );
}
