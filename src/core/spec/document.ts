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
import { readParallelNode, type NodeSource, type PipelinePorts } from './parallel-node';
import type { ParallelJob } from './types';
import { entryOf, fileLocation, stringOf, valueOf, type YamlEntry, type YamlMap, type YamlNode } from './yaml-source';

/**
 * Pipeline node names as azure-ai-ml enforces them (`is_valid_node_name` in azure/ai/ml/_utils/utils.py):
 * a Python identifier in lower-case ASCII. v1 step names (`^[a-z]([-a-z0-9]*[a-z0-9])?$`) are stricter
 * about `_` and laxer about `-`; v2 is what the service applies to these files.
 */
const NODE_NAME = /^[a-z_][a-z0-9_]*$/;

export function readDocument(root: YamlNode, overrides: readonly string[], ctx: SpecContext): ParallelJob[] {
  if (root.kind !== 'map') {
    ctx.findings.error(
      'wrong-type',
      root.loc,
      'The spec must be a YAML map (a pipeline or a parallel job).',
      'Start the file with `type: pipeline` and `jobs:`, or `type: parallel`.',
    );
    return [];
  }
  const typeNode = valueOf(root, 'type');
  const type = stringOf(typeNode) ?? (valueOf(root, 'jobs') ? 'pipeline' : undefined);
  if (type === 'parallel') return readStandalone(root, overrides, ctx);
  if (type === 'pipeline') return readPipeline(root, overrides, ctx);
  const at = typeNode?.loc ?? root.loc;
  ctx.findings.error(
    'no-parallel-node',
    at,
    type
      ? `This is a \`${type}\` job: there is no parallel node to run.`
      : 'This file has neither `type: pipeline` nor `type: parallel`.',
    'Open a pipeline YAML with a `type: parallel` node, or a parallel component (`type: parallel`).',
  );
  return [];
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

function readPipeline(root: YamlMap, overrides: readonly string[], ctx: SpecContext): ParallelJob[] {
  checkKeys(root, keysUnder('', PIPELINE_FIELD_DOCS), 'the pipeline', ctx.findings);
  const settings = valueOf(root, 'settings');
  if (settings?.kind === 'map') checkSettingsKeys(settings, ctx);
  const { sources, otherNodes, unreadable } = findParallelNodes(root, ctx);
  const nodes = new Map(sources.map((s) => [s.nodeName, s.map]));
  applyOverrides(overrides, { root, nodes, otherNodes, standalone: false }, ctx.findings);
  const ports = pipelinePorts(root, ctx);
  if (sources.length === 0 && unreadable === 0) {
    const jobs = entryOf(root, 'jobs');
    ctx.findings.error(
      'no-parallel-node',
      jobs?.keyLoc ?? fileLocation(ctx.specFile),
      `No \`type: parallel\` node in this pipeline${otherNodes.length ? ` (nodes: ${otherNodes.join(', ')})` : ''}.`,
      'Add a node with `type: parallel`, or open the YAML that has one.',
    );
  }
  return sources.flatMap((source) => readParallelNode(source, ports, ctx) ?? []);
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

function pipelinePorts(root: YamlMap, ctx: SpecContext): PipelinePorts {
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
  otherNodes: string[];
  /** Parallel nodes whose component could not be read (already reported). */
  unreadable: number;
}

function findParallelNodes(root: YamlMap, ctx: SpecContext): FoundNodes {
  const jobs = valueOf(root, 'jobs');
  const found: FoundNodes = { sources: [], otherNodes: [], unreadable: 0 };
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
    const source = entry.value.kind === 'map' ? parallelSource(entry, entry.value, ctx) : undefined;
    if (source === undefined) found.otherNodes.push(entry.key);
    else if (source) found.sources.push(source);
    else found.unreadable++;
  }
  return found;
}

/** The node as a parallel NodeSource; undefined when it is another kind of node, null when it is unreadable. */
function parallelSource(entry: YamlEntry, node: YamlMap, ctx: SpecContext): NodeSource | null | undefined {
  const type = stringOf(valueOf(node, 'type'));
  const componentNode = valueOf(node, 'component');
  if (type !== undefined && type !== 'parallel') return undefined;
  if (type === undefined && !componentNode) return undefined;
  const reading = componentNode ? readComponent(componentNode, ctx) : undefined;
  if (reading && !reading.ok) {
    if (reading.remote && type === 'parallel') {
      ctx.findings.error(
        'remote-component',
        componentNode!.loc,
        `Component ${reading.remote} is registered in the workspace; its files are not here.`,
        'Point `component:` at the local parallel component YAML (e.g. ./parallel_component.yml).',
      );
    }
    return type === 'parallel' ? null : undefined;
  }
  const component = reading?.component;
  if (type === undefined && component?.type !== 'parallel') return undefined;
  if (component && component.type !== 'parallel') {
    ctx.findings.error(
      'component-type',
      componentNode!.loc,
      `This node is \`type: parallel\` but its component is \`type: ${component.type ?? '(none)'}\`.`,
      'Point `component:` at a parallel component, or change the node type.',
    );
    return null;
  }
  checkKeys(node, keysUnder(''), `parallel node \`${entry.key}\``, ctx.findings);
  checkNodeName(entry, ctx);
  const merged = component ? mergeComponent(component.map, node) : { map: node };
  return {
    specFile: ctx.specFile,
    nodeName: entry.key,
    nodeLocation: entry.keyLoc,
    setPrefix: `jobs.${entry.key}.`,
    ...merged,
  };
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
