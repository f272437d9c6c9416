/**
 * A YAML file as a small tree of located nodes. Every node remembers the file and the 1-based range it
 * came from, so a value merged in from a component file, or set by `--set`, still points at its origin.
 */
import * as path from 'path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YNode } from 'yaml';
import type { Diagnostic, SourceLocation } from './types';

export type ScalarValue = string | number | boolean | null;

export interface YamlScalar {
  kind: 'scalar';
  value: ScalarValue;
  /** The source text of the scalar (quotes included), when it came from a file. */
  raw?: string;
  loc: SourceLocation;
}

export interface YamlEntry {
  key: string;
  keyLoc: SourceLocation;
  value: YamlNode;
}

export interface YamlMap {
  kind: 'map';
  entries: YamlEntry[];
  loc: SourceLocation;
  /** The value a `--set key.sub=…` turned into this map (a binding still tells the input's type). */
  replaced?: YamlNode;
}

export interface YamlSeq {
  kind: 'seq';
  items: YamlNode[];
  loc: SourceLocation;
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** File name given to values that come from `--set` rather than from a file. */
export const OVERRIDE_FILE = '--set';

export interface ParsedYaml {
  root?: YamlNode;
  diagnostics: Diagnostic[];
}

/** Parses YAML text into located nodes; syntax errors come back as `yaml-syntax` diagnostics. */
export function parseYamlSource(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (start: number, end: number): SourceLocation => rangeLocation(file, lineCounter, start, end);
  const diagnostics = doc.errors.map((e) => syntaxDiagnostic(e.message, locate(e.pos[0], e.pos[1])));
  if (diagnostics.length > 0) return { diagnostics };
  if (doc.contents === null) return { diagnostics };
  const builder = new TreeBuilder(doc, text, locate);
  const root = builder.node(doc.contents, 0);
  if (builder.exhausted) {
    const message = 'aliases expand to more than 100000 values';
    return { diagnostics: [syntaxDiagnostic(message, locate(0, 0))] };
  }
  return { root, diagnostics };
}

function syntaxDiagnostic(message: string, location: SourceLocation): Diagnostic {
  return {
    severity: 'error',
    rule: 'yaml-syntax',
    message: `YAML syntax: ${message.split('\n')[0]}`,
    fix: 'Correct the YAML at this position (indentation, a missing colon, quote or bracket).',
    location,
  };
}

function rangeLocation(file: string, counter: LineCounter, start: number, end: number): SourceLocation {
  const from = counter.linePos(start);
  const to = counter.linePos(Math.max(start, end));
  return { file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

type Locate = (start: number, end: number) => SourceLocation;

/**
 * Builds the located tree. Aliases are expanded, so a self-referring alias is cut at a depth and
 * an alias bomb (each level doubling the last) at a total count: the editor must stay responsive.
 */
class TreeBuilder {
  private budget = 100_000;
  private static readonly MAX_DEPTH = 64;

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly locate: Locate,
  ) {}

  get exhausted(): boolean {
    return this.budget < 0;
  }

  node(node: unknown, depth: number): YamlNode {
    const loc = this.location(node as YNode);
    if (--this.budget < 0 || depth > TreeBuilder.MAX_DEPTH) return { kind: 'scalar', value: null, loc };
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target ? { ...this.node(target, depth + 1), loc } : { kind: 'scalar', value: null, loc };
    }
    if (isMap(node)) return this.map(node.items, loc, depth);
    if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => this.node(item, depth + 1)), loc };
    if (isScalar(node)) {
      const range = node.range;
      const raw = range ? this.text.slice(range[0], range[1]) : undefined;
      return { kind: 'scalar', value: scalarValue(node.value), raw, loc };
    }
    return { kind: 'scalar', value: null, loc };
  }

  private map(items: unknown[], loc: SourceLocation, depth: number): YamlMap {
    const entries: YamlEntry[] = [];
    const merged: YamlEntry[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
      const keyLoc = keyNode ? this.location(keyNode) : loc;
      const value: YamlNode = pair.value ? this.node(pair.value, depth + 1) : { kind: 'scalar', value: null, loc: keyLoc };
      if (key === '<<') merged.push(...mergeKeyEntries(value));
      else entries.push({ key, keyLoc, value: emptyValueAtKey(value, keyLoc) });
    }
    // YAML merge keys (`<<: *base`) supply entries the map does not set itself.
    for (const entry of merged) if (!entries.some((e) => e.key === entry.key)) entries.push(entry);
    return { kind: 'map', entries, loc };
  }

  private location(node: YNode | null | undefined): SourceLocation {
    const range = node?.range;
    return range ? this.locate(range[0], range[1]) : this.locate(0, 0);
  }
}

function mergeKeyEntries(value: YamlNode): YamlEntry[] {
  if (value.kind === 'map') return value.entries;
  if (value.kind === 'seq') return value.items.flatMap((item) => (item.kind === 'map' ? item.entries : []));
  return [];
}

// An empty value (`key:`) has a zero-width range after the colon; the key is the useful place to point at.
function emptyValueAtKey(value: YamlNode, keyLoc: SourceLocation): YamlNode {
  const empty = value.kind === 'scalar' && value.value === null && (value.raw ?? '') === '';
  return empty ? { ...value, loc: keyLoc } : value;
}

function scalarValue(value: unknown): ScalarValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

// ---- reading helpers ---------------------------------------------------------------------------

export function entryOf(map: YamlMap, key: string): YamlEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function valueOf(map: YamlMap, key: string): YamlNode | undefined {
  const entry = entryOf(map, key);
  return entry && !isNull(entry.value) ? entry.value : undefined;
}

export function isNull(node: YamlNode | undefined): boolean {
  return !node || (node.kind === 'scalar' && node.value === null);
}

export function stringOf(node: YamlNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** The folder a relative path in this node is relative to: the YAML's folder, or the cwd for `--set`. */
export function baseDirOf(node: YamlNode | SourceLocation, cwd: string): string {
  const file = 'kind' in node ? node.loc.file : node.file;
  return file === OVERRIDE_FILE ? cwd : path.dirname(file);
}

/**
 * The location of `length` characters at `index` of a scalar's value, when the value sits on one line
 * as written (plain or quoted without escapes); otherwise the whole scalar.
 */
export function locationWithin(node: YamlNode, index: number, length: number): SourceLocation {
  const loc = node.loc;
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || node.raw === undefined) return loc;
  if (loc.line !== loc.endLine) return loc;
  const value = node.value;
  const offset = node.raw === value ? 0 : node.raw === `"${value}"` || node.raw === `'${value}'` ? 1 : -1;
  if (offset < 0) return loc;
  const column = loc.column + offset + index;
  return { ...loc, column, endLine: loc.line, endColumn: column + length };
}

export function fileLocation(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
