/**
 * `component: ./parallel_component.yml` on a pipeline node: the component file supplies the fields,
 * the node's own fields win, and the component's inputs/outputs become declarations (types, defaults).
 */
import * as fs from 'fs';
import type { SpecContext } from './context';
import { FIELD_DOCS, keysUnder } from './fields';
import { checkKeys } from './keys';
import { isRemoteReference, localPathOf, pathKind } from './local-files';
import { parseYamlSource, stringOf, valueOf, type YamlEntry, type YamlMap, type YamlNode } from './yaml-source';

export interface Component {
  map: YamlMap;
  type?: string;
}

export type ComponentReading = { ok: true; component: Component } | { ok: false; remote?: string };

/** Reads the component a node names (a file, or an inline map); problems are reported. */
export function readComponent(node: YamlNode, ctx: SpecContext): ComponentReading {
  if (node.kind === 'map') return { ok: true, component: checked(node, ctx) };
  const text = stringOf(node);
  if (text === undefined) {
    ctx.findings.error(
      'wrong-type',
      node.loc,
      '`component` is a path to a component YAML or an inline component map.',
      'Write `component: ./parallel_component.yml`.',
    );
    return { ok: false };
  }
  if (isRemoteReference(text)) return { ok: false, remote: text };
  const file = localPathOf(text, node, ctx.cwd);
  if (pathKind(file) !== 'file') {
    ctx.findings.error(
      'component-file',
      node.loc,
      `Component file ${text} not found (looked for ${file}).`,
      "The path is relative to this YAML file's folder.",
    );
    return { ok: false };
  }
  const parsed = parseYamlSource(fs.readFileSync(file, 'utf8'), file);
  ctx.findings.add(parsed.diagnostics);
  if (!parsed.root || parsed.root.kind !== 'map') {
    if (parsed.root)
      ctx.findings.error('wrong-type', parsed.root.loc, 'A component file is a YAML map.', 'Start it with `type: parallel`.');
    return { ok: false };
  }
  return { ok: true, component: checked(parsed.root, ctx) };
}

function checked(map: YamlMap, ctx: SpecContext): Component {
  const type = stringOf(valueOf(map, 'type'));
  if (type === 'parallel') checkKeys(map, keysUnder('', FIELD_DOCS, true), 'the parallel component', ctx.findings);
  return { map, type };
}

const MERGED_MAPS = ['task', 'resources', 'retry_settings', 'environment_variables', 'tags', 'properties'];
const DECLARATIONS = ['inputs', 'outputs'];

export interface MergedNode {
  map: YamlMap;
  declaredInputs?: YamlMap;
  declaredOutputs?: YamlMap;
}

/** The node's fields over the component's; nested settings merge key by key. */
export function mergeComponent(component: YamlMap, node: YamlMap): MergedNode {
  const entries: YamlEntry[] = component.entries.filter((e) => !DECLARATIONS.includes(e.key)).map(copyEntry);
  for (const entry of node.entries) {
    const index = entries.findIndex((e) => e.key === entry.key);
    if (index < 0) entries.push(copyEntry(entry));
    else entries[index] = mergeEntry(entries[index], entry);
  }
  const declaration = (key: string): YamlMap | undefined => {
    const value = valueOf(component, key);
    return value?.kind === 'map' ? value : undefined;
  };
  return { map: { ...node, entries }, declaredInputs: declaration('inputs'), declaredOutputs: declaration('outputs') };
}

function mergeEntry(base: YamlEntry, over: YamlEntry): YamlEntry {
  if (!MERGED_MAPS.includes(base.key) || base.value.kind !== 'map' || over.value.kind !== 'map') return copyEntry(over);
  const entries = base.value.entries.map(copyEntry);
  for (const entry of over.value.entries) {
    const index = entries.findIndex((e) => e.key === entry.key);
    if (index < 0) entries.push(copyEntry(entry));
    else entries[index] = copyEntry(entry);
  }
  return { ...over, value: { ...over.value, entries } };
}

// Overrides edit the merged tree; copies keep them away from the trees they were merged from.
function copyEntry(entry: YamlEntry): YamlEntry {
  return { ...entry, value: copyNode(entry.value) };
}

function copyNode(node: YamlNode): YamlNode {
  if (node.kind === 'map') return { ...node, entries: node.entries.map(copyEntry) };
  if (node.kind === 'seq') return { ...node, items: node.items.map(copyNode) };
  return { ...node };
}
