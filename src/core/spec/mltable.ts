/**
 * Tabular input_data: an MLTable folder (its `MLTable` file lists paths and how to read them), or, as a
 * local convenience, a plain .csv/.tsv/.jsonl/.json file or a folder of them, read by extension.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SpecContext } from './context';
import { globFiles } from './glob';
import { isRemoteReference, listFilesAbsolute, pathKind } from './local-files';
import type { TabularFormat } from './types';
import { parseYamlSource, stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';
import { readTransformations, type ReadFormat } from './mltable-transformations';

/** What an MLTable (or a plain data file or folder) holds: rows read from files, or the files themselves. */
export type TableSource =
  | { kind: 'tabular'; files: string[]; tabular: TabularFormat; partitionFormat?: string }
  /** An MLTable whose paths have no read step: run() gets file paths; skip/take already applied. */
  | { kind: 'files'; files: string[]; source: string; partitionFormat?: string };

const MLTABLE_KEYS = ['$schema', 'type', 'paths', 'transformations', 'metadata', 'traits'];
const PATH_KINDS = ['file', 'folder', 'pattern'] as const;

/** Reads the table at `tablePath` (absolute); problems are reported and give undefined. */
export function readTable(tablePath: string, writtenAt: YamlNode, ctx: SpecContext): TableSource | undefined {
  const kind = pathKind(tablePath);
  if (kind === 'file') return tableByExtension([tablePath], `${tablePath} (read by extension)`, writtenAt, ctx);
  if (kind === 'missing') return undefined;
  const mltableFile = path.join(tablePath, 'MLTable');
  if (pathKind(mltableFile) === 'file') return readMLTableFile(mltableFile, ctx);
  const files = listFilesAbsolute(tablePath).filter((f) => formatOfExtension(f) !== undefined);
  return tableByExtension(files, `${tablePath} (no MLTable file: .csv/.tsv/.jsonl/.json files read by extension)`, writtenAt, ctx);
}

function tableByExtension(files: string[], source: string, writtenAt: YamlNode, ctx: SpecContext): TableSource | undefined {
  if (files.length === 0) {
    ctx.findings.error(
      'mltable-no-files',
      writtenAt.loc,
      `The mltable input has no MLTable file and no .csv, .tsv, .jsonl or .json files: ${source}.`,
      'Add an MLTable file (paths + read_delimited), or point the input at a folder of .csv files.',
    );
    return undefined;
  }
  const formats = new Set<Format | undefined>();
  for (const f of files) formats.add(formatOfExtension(f)); // one shared object per extension
  if (formats.size > 1) {
    ctx.findings.error(
      'mltable-mixed-formats',
      writtenAt.loc,
      `The mltable input mixes file types (${[...new Set(files.map((f) => path.extname(f)))].join(', ')}); one table has one format.`,
      'Keep one kind of file in the folder, or write an MLTable file whose paths select one kind.',
    );
    return undefined;
  }
  return { kind: 'tabular', files, tabular: { ...formatOfExtension(files[0])!, source } };
}

type Format = ReadFormat;

const JSON_LINES = jsonLines();
const BY_EXTENSION: Record<string, Format> = { '.csv': delimited(','), '.tsv': delimited('\t'), '.jsonl': JSON_LINES, '.json': JSON_LINES };

/** The format a file's extension tells (the same object for the same format: callers compare them). */
function formatOfExtension(file: string): Format | undefined {
  const ext = path.extname(file).toLowerCase();
  return Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

function delimited(delimiter: string, header: TabularFormat['header'] = 'all_files_same_headers'): Format {
  return { format: 'delimited', delimiter, header, encoding: 'utf8' };
}

function jsonLines(): Format {
  return { format: 'json_lines', delimiter: '', header: 'no_header', encoding: 'utf8' };
}

function readMLTableFile(file: string, ctx: SpecContext): TableSource | undefined {
  const parsed = parseYamlSource(fs.readFileSync(file, 'utf8'), file);
  ctx.findings.add(parsed.diagnostics);
  if (!parsed.root) return undefined;
  if (parsed.root.kind !== 'map') {
    ctx.findings.error(
      'mltable-invalid',
      parsed.root.loc,
      'An MLTable file is a map with `paths:` and `transformations:`.',
      'Start the file with `paths:` followed by `- file: ./data.csv`.',
    );
    return undefined;
  }
  const table = parsed.root;
  for (const entry of table.entries) {
    if (!MLTABLE_KEYS.includes(entry.key))
      ctx.findings.warning(
        'unknown-key',
        entry.keyLoc,
        `Unknown MLTable key \`${entry.key}\`; local runs ignore it.`,
        `MLTable keys: ${MLTABLE_KEYS.join(', ')}.`,
      );
  }
  const listed = mltablePaths(table, path.dirname(file), ctx);
  const reading = readTransformations(table, ctx);
  if (!listed || !reading) return undefined;
  if (listed.length === 0) {
    ctx.findings.error(
      'mltable-no-files',
      (valueOf(table, 'paths') ?? table).loc,
      'The MLTable paths match no files.',
      "Check the `file:`/`folder:`/`pattern:` entries: they are relative to the MLTable file's folder.",
    );
    return undefined;
  }
  const source = `${file}: ${describePaths(table)}`;
  const extract = [...reading.steps].reverse().find((s) => s.op === 'extract_columns_from_partition_format');
  const partitionFormat = extract?.op === 'extract_columns_from_partition_format' ? extract.partitionFormat : undefined;
  if (!reading.format) {
    // No read step: the `mltable` library's table of files; skip/take count files.
    let files = listed;
    for (const step of reading.steps) {
      if (step.op === 'skip') files = files.slice(step.count);
      else if (step.op === 'take') files = files.slice(0, step.count);
    }
    return { kind: 'files', files, source, ...(partitionFormat !== undefined ? { partitionFormat } : {}) };
  }
  const tabular: TabularFormat = { ...reading.format, source };
  if (reading.steps.length > 0) tabular.steps = reading.steps;
  return { kind: 'tabular', files: listed, tabular, ...(partitionFormat !== undefined ? { partitionFormat } : {}) };
}

function describePaths(table: YamlMap): string {
  const paths = valueOf(table, 'paths');
  if (!paths || paths.kind !== 'seq') return 'paths';
  return paths.items
    .map((item) => (item.kind === 'map' ? item.entries.map((e) => `${e.key}: ${stringOf(e.value) ?? ''}`).join(' ') : ''))
    .join(', ');
}

/** The files the `paths:` list names, in the list's order, each entry's files sorted, no file twice. */
function mltablePaths(table: YamlMap, folder: string, ctx: SpecContext): string[] | undefined {
  const paths = valueOf(table, 'paths');
  if (!paths || paths.kind !== 'seq') {
    ctx.findings.error(
      'mltable-invalid',
      (paths ?? table).loc,
      'An MLTable needs a `paths:` list.',
      'Add `paths:` with `- file: ./data.csv`, `- folder: ./data` or `- pattern: ./*.csv`.',
    );
    return undefined;
  }
  const mltableFile = path.join(folder, 'MLTable');
  if (paths.items.length === 1) {
    // One entry: its files are already distinct (one listing, or one glob over it), so no Set of every path
    // (hashing 100,000 freshly joined paths stalled the extension host while checking as the user types).
    const found = pathEntryFiles(paths.items[0], folder, ctx);
    if (!found) return undefined;
    const at = found.indexOf(mltableFile);
    return at < 0 ? found : found.filter((_, i) => i !== at);
  }
  const files = new Set<string>();
  let ok = true;
  for (const item of paths.items) {
    const found = pathEntryFiles(item, folder, ctx);
    if (!found) ok = false;
    for (const f of found ?? []) files.add(f);
  }
  files.delete(mltableFile);
  return ok ? [...files] : undefined;
}

function pathEntryFiles(item: YamlNode, folder: string, ctx: SpecContext): string[] | undefined {
  const entry = item.kind === 'map' ? item.entries.find((e) => (PATH_KINDS as readonly string[]).includes(e.key)) : undefined;
  const text = entry ? stringOf(entry.value) : undefined;
  if (!entry || text === undefined) {
    ctx.findings.error(
      'mltable-invalid',
      item.loc,
      'Each MLTable path is `- file: …`, `- folder: …` or `- pattern: …`.',
      'Write e.g. `- pattern: ./*.csv`.',
    );
    return undefined;
  }
  if (isRemoteReference(text)) {
    if (ctx.local)
      ctx.findings.error(
        'remote-input',
        entry.value.loc,
        `MLTable path ${text} is in the cloud; local runs read local files.`,
        'Download a sample next to the MLTable file and list it with a relative path.',
      );
    return ctx.local ? undefined : [];
  }
  const target = path.resolve(folder, text.replace(/^file:(\/\/)?/i, ''));
  if (entry.key === 'pattern') return globFiles(folder, text);
  const kind = pathKind(target);
  const expected = entry.key === 'file' ? 'file' : 'folder';
  if (kind !== expected) {
    const other = entry.key === 'file' ? 'folder' : 'file';
    ctx.findings.error(
      kind === 'missing' ? 'input-path-missing' : 'mltable-path-kind',
      entry.value.loc,
      `MLTable ${entry.key} ${text} ${kind === 'missing' ? 'does not exist' : `is a ${kind}, not a ${expected}`} (looked for ${target}).`,
      kind === 'missing'
        ? 'Paths in an MLTable file are relative to its folder.'
        : `Write \`- ${other}: ${text}\` instead of \`- ${entry.key}: ${text}\`.`,
    );
    return undefined;
  }
  return entry.key === 'file' ? [target] : listFilesAbsolute(target);
}
