/**
 * `--set path=value` overrides, applied to the YAML tree before it is read, so a value set this way
 * is checked like one written in the file (and its diagnostics point at `--set`).
 */
import { parse as parseYaml } from 'yaml';
import { FIELD_DOCS, INPUT_KEYS, OUTPUT_KEYS, keysUnder } from './fields';
import type { Findings } from './findings';
import { isDataType } from './inputs';
import { didYouMean } from './suggest';
import type { SourceLocation } from './types';
import { OVERRIDE_FILE, stringOf, valueOf, type YamlEntry, type YamlMap, type YamlNode } from './yaml-source';

export interface OverrideTargets {
  /** The file's top map: `inputs.x` and `outputs.x` set its ports. */
  root: YamlMap;
  /** Parallel nodes by name: bare fields set every one, `jobs.<name>.<field>` one. */
  nodes: Map<string, YamlMap>;
  /** Other nodes of the pipeline, named in messages. */
  otherNodes: string[];
  /** A standalone parallel file: the root is the only node. */
  standalone: boolean;
  /** Command nodes by name: `jobs.<name>.inputs.<x>.path=…` and the like. */
  commandNodes?: Map<string, YamlMap>;
}

interface Override {
  text: string;
  path: string[];
  value: YamlNode;
  loc: SourceLocation;
}

// Only data fields and a few whole-node fields are meant to change from the command line.
const FIXED_FIELDS = ['type', 'component', 'name', '$schema'];

export function applyOverrides(overrides: readonly string[], targets: OverrideTargets, findings: Findings): void {
  overrides.forEach((text, index) => {
    const loc: SourceLocation = {
      file: OVERRIDE_FILE,
      line: index + 1,
      column: 1,
      endLine: index + 1,
      endColumn: text.length + 1,
    };
    const override = parseOverride(text, loc);
    if (!override) {
      findings.error(
        'override',
        loc,
        `--set "${text}" is not path=value.`,
        'Write e.g. --set mini_batch_size=2 or --set inputs.images.path=./sample.',
      );
      return;
    }
    const problem = applyOverride(override, targets);
    if (problem) findings.error('override', loc, `--set ${text}: ${problem.message}`, problem.fix);
  });
}

function parseOverride(text: string, loc: SourceLocation): Override | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  const path = text.slice(0, eq).trim().split('.');
  if (path.some((segment) => segment === '')) return undefined;
  return { text, path, value: overrideValue(text.slice(eq + 1), loc), loc };
}

/** The value as YAML reads it (`2` a number, `[a, b]` a list), or the raw text if it is not YAML. */
function overrideValue(raw: string, loc: SourceLocation): YamlNode {
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  return toNode(value, loc);
}

function toNode(value: unknown, loc: SourceLocation): YamlNode {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v) => toNode(v, loc)), loc };
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, v]) => ({ key, keyLoc: loc, value: toNode(v, loc) }));
    return { kind: 'map', entries, loc };
  }
  const scalar =
    value === undefined || value === null
      ? null
      : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : String(value);
  return { kind: 'scalar', value: scalar, loc };
}

interface Problem {
  message: string;
  fix: string;
}

function applyOverride(o: Override, targets: OverrideTargets): Problem | undefined {
  const [head, ...rest] = o.path;
  if (head === 'inputs' || head === 'outputs') return setPort(targets.root, head, rest, o);
  if (head === 'jobs') return setNodeField(rest, o, targets);
  const problem = fieldPathProblem(o.path, targets.standalone);
  if (problem) return problem;
  const nodes = targets.standalone ? [targets.root] : [...targets.nodes.values()];
  for (const node of nodes) setIn(node, o.path, o.value, o.loc);
  return undefined;
}

function setNodeField(rest: string[], o: Override, targets: OverrideTargets): Problem | undefined {
  const [name, ...field] = rest;
  const command = targets.commandNodes?.get(name ?? '');
  if (command) {
    const problem = commandFieldProblem(name, field);
    if (problem) return problem;
    setIn(command, field, o.value, o.loc);
    return undefined;
  }
  const names = targets.standalone ? [stringOf(valueOf(targets.root, 'name')) ?? ''] : [...targets.nodes.keys()];
  const node = targets.standalone ? (name === names[0] ? targets.root : undefined) : targets.nodes.get(name ?? '');
  if (!node) {
    const other = targets.otherNodes.includes(name ?? '');
    return {
      message: other
        ? `\`${name}\` is not a parallel node; local runs read only parallel nodes.`
        : `there is no parallel or command node \`${name ?? ''}\`.${didYouMean(name ?? '', [...names, ...(targets.commandNodes?.keys() ?? [])])}`,
      fix: `Nodes here: ${[...names, ...(targets.commandNodes?.keys() ?? [])].join(', ') || 'none'}.`,
    };
  }
  if (field.length === 0) return { message: 'name a field of the node.', fix: `e.g. --set jobs.${name}.mini_batch_size=2` };
  const problem = fieldPathProblem(field, targets.standalone);
  if (problem) return problem;
  setIn(node, field, o.value, o.loc);
  return undefined;
}

const COMMAND_FIELDS = ['command', 'code', 'inputs', 'outputs', 'environment_variables', 'display_name'];

/** Why a dotted path is not a field a command node lets `--set` change, or undefined when it is one. */
function commandFieldProblem(name: string, field: string[]): Problem | undefined {
  const [head, second, third] = field;
  if (head === undefined || !COMMAND_FIELDS.includes(head)) {
    return {
      message: `\`${head ?? ''}\` is not a field a command node lets you set.${didYouMean(head ?? '', COMMAND_FIELDS)}`,
      fix: `e.g. --set jobs.${name}.inputs.<name>.path=./data or --set jobs.${name}.command="python prep.py"`,
    };
  }
  if (head === 'inputs' || head === 'outputs') {
    const keys = head === 'inputs' ? INPUT_KEYS : OUTPUT_KEYS;
    if (second === undefined || field.length > 3 || (third !== undefined && !keys.includes(third)))
      return {
        message: `\`${field.join('.')}\` is not ${head}.<name> or ${head}.<name>.<key>.${third ? didYouMean(third, keys) : ''}`,
        fix: `Keys of an ${head.slice(0, -1)}: ${keys.join(', ')}.`,
      };
    return undefined;
  }
  if (head === 'environment_variables')
    return field.length === 2
      ? undefined
      : { message: 'environment_variables takes one key.', fix: `e.g. --set jobs.${name}.environment_variables.MY_KEY=value` };
  return field.length === 1 ? undefined : { message: `\`${head}\` is a single value.`, fix: `Write --set jobs.${name}.${head}=<value>.` };
}

/** Why a dotted field path is not a field of a parallel node, or undefined when it is one. */
function fieldPathProblem(path: string[], fileLevel: boolean): Problem | undefined {
  const dotted = path.join('.');
  const [head, second, third] = path;
  const top = keysUnder('', FIELD_DOCS, fileLevel);
  if (!top.includes(head) || FIXED_FIELDS.includes(head)) {
    return {
      message: `\`${head}\` is not a field a parallel node lets you set.${didYouMean(head, top)}`,
      fix: 'Set a field such as mini_batch_size, retry_settings.timeout, task.program_arguments, or inputs.<name>.path.',
    };
  }
  const doc = FIELD_DOCS[head];
  const nested = keysUnder(head);
  if (head === 'inputs' || head === 'outputs') {
    const keys = head === 'inputs' ? INPUT_KEYS : OUTPUT_KEYS;
    if (second === undefined || path.length > 3 || (third !== undefined && !keys.includes(third))) {
      return {
        message: `\`${dotted}\` is not ${head}.<name> or ${head}.<name>.<key>.${third ? didYouMean(third, keys) : ''}`,
        fix: `Keys of an ${head.slice(0, -1)}: ${keys.join(', ')}.`,
      };
    }
    return undefined;
  }
  if (doc.freeform)
    return second !== undefined && path.length === 2
      ? undefined
      : { message: `\`${head}\` takes one key: ${head}.<key>=<value>.`, fix: `e.g. --set ${head}.MY_KEY=value` };
  if (nested.length === 0)
    return path.length === 1 ? undefined : { message: `\`${head}\` is a single value.`, fix: `Write --set ${head}=<value>.` };
  if (second === undefined || !nested.includes(second)) {
    return {
      message: `\`${dotted}\` is not a field.${second ? didYouMean(second, nested) : ''}`,
      fix: `Fields of ${head}: ${nested.join(', ')}.`,
    };
  }
  const leafFreeform = FIELD_DOCS[`${head}.${second}`]?.freeform === true;
  if (leafFreeform ? path.length !== 3 : path.length !== 2)
    return {
      message: `\`${dotted}\` is not a field.`,
      fix: leafFreeform ? `Write --set ${head}.${second}.<key>=<value>.` : `Write --set ${head}.${second}=<value>.`,
    };
  return undefined;
}

/** `inputs.x=v` sets a literal input, or the path of a data input; `inputs.x.key=v` sets one key. */
function setPort(root: YamlMap, kind: 'inputs' | 'outputs', rest: string[], o: Override): Problem | undefined {
  const ports = valueOf(root, kind);
  const [name, ...keyPath] = rest;
  const existing = ports?.kind === 'map' ? ports.entries.find((e) => e.key === name) : undefined;
  if (!ports || ports.kind !== 'map' || !existing) {
    const known = ports?.kind === 'map' ? ports.entries.map((e) => e.key) : [];
    return {
      message: `the file has no ${kind.slice(0, -1)} \`${name ?? ''}\`.${didYouMean(name ?? '', known)}`,
      fix: known.length ? `Its ${kind}: ${known.join(', ')}.` : `Declare it under \`${kind}:\` first.`,
    };
  }
  const keys = kind === 'inputs' ? INPUT_KEYS : OUTPUT_KEYS;
  if (keyPath.length > 1 || (keyPath.length === 1 && !keys.includes(keyPath[0]))) {
    return {
      message: `\`${keyPath.join('.')}\` is not a key of an ${kind.slice(0, -1)}.${didYouMean(keyPath[0], keys)}`,
      fix: `Keys: ${keys.join(', ')}.`,
    };
  }
  const key = keyPath[0] ?? (holdsData(existing.value) || kind === 'outputs' ? 'path' : undefined);
  if (key === undefined) existing.value = o.value;
  else setIn(ports, [name, key], o.value, o.loc);
  return undefined;
}

function holdsData(node: YamlNode): boolean {
  if (node.kind !== 'map') return false;
  const type = stringOf(valueOf(node, 'type'));
  return isDataType(type) || (type === undefined && valueOf(node, 'path') !== undefined);
}

/** Sets `path` under `map`, making maps on the way (a scalar in the way becomes a map). */
function setIn(map: YamlMap, path: string[], value: YamlNode, loc: SourceLocation): void {
  let current = map;
  path.forEach((key, i) => {
    let entry: YamlEntry | undefined = current.entries.find((e) => e.key === key);
    if (!entry) {
      entry = { key, keyLoc: loc, value: { kind: 'scalar', value: null, loc } };
      current.entries.push(entry);
    }
    if (i === path.length - 1) {
      entry.value = value;
      return;
    }
    if (entry.value.kind !== 'map') entry.value = { kind: 'map', entries: [], loc, replaced: entry.value };
    current = entry.value;
  });
}
