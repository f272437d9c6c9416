/**
 * Hovers for parallel specs without an editor: the YAML key (or program_arguments option) under an offset,
 * and the markdown that explains it from core/spec's FIELD_DOCS and the driver's options.
 *
 * A line scanner rather than a YAML parser: it runs on every hover in the activation bundle, where the
 * YAML library and the spec reader are not loaded (they live in the lazy half). Specs are block-style YAML;
 * keys inside flow maps (`{a: 1}`) get no hover.
 */
import { fieldDocFor, type FieldDoc } from '../../core/spec/fields';
import { DRIVER_OPTION_DOCS, type DriverOptionDoc } from './driver-options';

/** What the offset points at; `start`/`end` are offsets of the hovered text. */
export type FieldHit =
  | { kind: 'field'; path: string[]; name: string; doc: FieldDoc; start: number; end: number }
  | { kind: 'driver-option'; option: string; doc: DriverOptionDoc; start: number; end: number }
  | { kind: 'script-argument'; option: string; start: number; end: number };

interface Line {
  start: number;
  text: string;
  /** Column of the first character that is not a space or a sequence dash. */
  indent: number;
  /** Column of the dash when the line is a sequence item. */
  dash?: number;
  key?: { name: string; from: number; to: number; value: string };
  blank: boolean;
}

/** Marks a sequence item in a path: no documented field lives inside a list. */
const ITEM = '[]';
const KEY_LINE = /^( *)((?:- +)*)([A-Za-z_$][\w.$-]*)[ \t]*:(?=[ \t]|$)(.*)$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

/** The documented field or driver option at `offset` of a spec's text, if any. */
export function fieldAt(text: string, offset: number): FieldHit | undefined {
  const lines = scanLines(text);
  const at = lines.findIndex((l, i) => offset >= l.start && (i === lines.length - 1 || offset < lines[i + 1].start));
  if (at < 0) return undefined;
  const line = lines[at];
  const column = offset - line.start;
  const parents = ancestors(lines, at);
  const insideScalar = parents.length > 0 && BLOCK_SCALAR.test(parents[parents.length - 1].key!.value);

  let path: string[];
  let onKey = false;
  if (line.key && !insideScalar) {
    path = [...keyPath(parents), ...(line.dash !== undefined ? [ITEM] : []), line.key.name];
    if (column >= line.key.from && column < line.key.to) onKey = true;
    else if (column <= line.key.to) return undefined;
  } else {
    if (parents.length === 0 || line.blank) return undefined;
    path = keyPath(parents);
  }

  const fileType = rootType(lines) === 'parallel' ? 'parallel' : 'pipeline';
  const nodePath = fileType === 'parallel' ? path : parallelNodePath(lines, path);
  if (!onKey) return nodePath?.join('.') === 'task.program_arguments' ? optionAt(text, offset) : undefined;
  if (fileType === 'pipeline' && path[0] === 'jobs' && path.length > 2 && !nodePath) return undefined;
  if (path.includes(ITEM)) return undefined;
  const doc = fieldDocFor(path, fileType);
  if (!doc) return undefined;
  const key = line.key!;
  return { kind: 'field', path, name: (nodePath ?? path).join('.'), doc, start: line.start + key.from, end: line.start + key.to };
}

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const blank = /^\s*(#.*)?$/.test(body);
    const m = KEY_LINE.exec(body);
    const dashes = /^( *)((?:- +)*)/.exec(body)!;
    const line: Line = { start, text: body, indent: dashes[0].length, blank };
    if (dashes[2]) line.dash = dashes[1].length;
    if (m && !blank) {
      const from = m[1].length + m[2].length;
      line.key = { name: m[3], from, to: from + m[3].length, value: stripComment(m[4]).trim() };
    }
    lines.push(line);
    start += raw.length + 1;
  }
  return lines;
}

function stripComment(value: string): string {
  // A `#` starts a comment after whitespace, outside quotes; good enough for `key: value  # note`.
  const m = /(^|[ \t])#/.exec(value);
  return m && !/["']/.test(value.slice(0, m.index)) ? value.slice(0, m.index) : value;
}

/** The key lines that contain line `at`, outermost first (sequence items appear as ITEM entries). */
function ancestors(lines: Line[], at: number): Line[] {
  const found: Line[] = [];
  const first = lines[at];
  let indent = first.dash ?? (first.blank ? Number.MAX_SAFE_INTEGER : first.indent);
  for (let j = at - 1; j >= 0 && indent > 0; j--) {
    const line = lines[j];
    if (line.blank) continue;
    if (line.key && line.key.from < indent) {
      // A `- key:` line is a key inside a sequence item: [..., ITEM, key].
      found.unshift(line);
      if (line.dash !== undefined) found.unshift(itemOf(line));
      indent = line.dash ?? line.key.from;
    } else if (line.dash !== undefined && line.dash < indent) {
      found.unshift(itemOf(line));
      indent = line.dash;
    }
  }
  return found;
}

function itemOf(line: Line): Line {
  return { ...line, key: { name: ITEM, from: 0, to: 0, value: '' } };
}

function keyPath(parents: Line[]): string[] {
  return parents.map((l) => l.key!.name);
}

function rootType(lines: Line[]): string | undefined {
  const line = lines.find((l) => l.key && l.key.from === 0 && l.dash === undefined && l.key.name === 'type');
  return line ? unquote(line.key!.value) : undefined;
}

/** The path inside the parallel node for a pipeline path under `jobs.<node>`, or undefined. */
function parallelNodePath(lines: Line[], path: string[]): string[] | undefined {
  if (path[0] !== 'jobs' || path.length < 3) return undefined;
  const jobs = lines.findIndex((l) => l.key?.name === 'jobs' && l.key.from === 0);
  if (jobs < 0) return undefined;
  const node = lines.findIndex((l, i) => i > jobs && l.key?.name === path[1] && l.key.from > 0);
  if (node < 0) return undefined;
  const nodeIndent = lines[node].key!.from;
  let childIndent: number | undefined;
  let type: string | undefined;
  let component = false;
  for (let i = node + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.blank) continue;
    if ((line.dash ?? line.indent) <= nodeIndent) break;
    childIndent ??= line.key?.from;
    if (!line.key || line.key.from !== childIndent) continue;
    if (line.key.name === 'type') type = unquote(line.key.value);
    if (line.key.name === 'component') component = true;
  }
  return type === 'parallel' || (type === undefined && component) ? path.slice(2) : undefined;
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}

/** The `--option` token at `offset` of program_arguments. */
function optionAt(text: string, offset: number): FieldHit | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && !/[\s"'=]/.test(text[start - 1])) start--;
  while (end < text.length && !/[\s"'=]/.test(text[end])) end++;
  const option = text.slice(start, end);
  if (!/^--[A-Za-z]/.test(option)) return undefined;
  const doc = Object.hasOwn(DRIVER_OPTION_DOCS, option) ? DRIVER_OPTION_DOCS[option] : undefined;
  return doc ? { kind: 'driver-option', option, doc, start, end } : { kind: 'script-argument', option, start, end };
}

/** The hover's markdown: name and type, meaning, then v1 name and default in one line. */
export function hoverMarkdown(hit: FieldHit): string {
  if (hit.kind === 'script-argument') {
    return [
      `**\`${hit.option}\`** — an argument of the entry script`,
      "Not a driver option: the driver passes it on in `sys.argv`, after its own options. Read it in `init()` with `argparse`'s `parse_known_args()`.",
    ].join('\n\n');
  }
  const title = hit.kind === 'field' ? hit.name : hit.option;
  const what = hit.kind === 'field' ? '' : ' (driver option)';
  const facts = [
    hit.doc.v1 ? `v1 \`${hit.doc.v1}\`` : undefined,
    hit.doc.default !== undefined ? `default ${withUnit(hit.doc.default, hit.doc.type)}` : undefined,
  ].filter(Boolean);
  return [`**\`${title}\`**${what} — ${hit.doc.type}`, hit.doc.description, ...(facts.length ? [facts.join(' · ')] : [])].join('\n\n');
}

function withUnit(value: string, type: string): string {
  return /\(seconds\)/.test(type) && /^-?\d+$/.test(value) ? `${value} s` : value;
}
