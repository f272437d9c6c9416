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
import { checkKeys } from './keys';

export interface TableSource {
  files: string[];
  tabular: TabularFormat;
  partitionFormat?: string;
}

const HEADERS: readonly TabularFormat['header'][] = [
  'all_files_same_headers',
  'all_files_different_headers',
  'from_first_file',
  'no_header',
];
const UTF8_NAMES = ['utf8', 'utf-8', 'ascii'];
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
  return tableByExtension(
    files,
    `${tablePath} (no MLTable file: .csv/.tsv/.jsonl/.json files read by extension)`,
    writtenAt,
    ctx,
  );
}

function tableByExtension(
  files: string[],
  source: string,
  writtenAt: YamlNode,
  ctx: SpecContext,
): TableSource | undefined {
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
  return { files, tabular: { ...formatOfExtension(files[0])!, source } };
}

type Format = Omit<TabularFormat, 'source'>;

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
  const files = mltablePaths(table, path.dirname(file), ctx);
  const reading = readTransformations(table, ctx);
  if (!files || !reading) return undefined;
  if (files.length === 0) {
    ctx.findings.error(
      'mltable-no-files',
      (valueOf(table, 'paths') ?? table).loc,
      'The MLTable paths match no files.',
      "Check the `file:`/`folder:`/`pattern:` entries: they are relative to the MLTable file's folder.",
    );
    return undefined;
  }
  const format = reading.format ?? formatOfExtension(files[0]);
  if (!format) {
    ctx.findings.error(
      'mltable-format',
      (valueOf(table, 'transformations') ?? table).loc,
      `The MLTable says neither read_delimited nor read_json_lines, and ${path.basename(files[0])} does not tell by its extension.`,
      'Add `transformations: [read_delimited: {delimiter: ","}]` (or read_json_lines).',
    );
    return undefined;
  }
  const source = `${file}: ${describePaths(table)}`;
  return { files, tabular: { ...format, source }, partitionFormat: reading.partitionFormat };
}

function describePaths(table: YamlMap): string {
  const paths = valueOf(table, 'paths');
  if (!paths || paths.kind !== 'seq') return 'paths';
  return paths.items
    .map((item) =>
      item.kind === 'map' ? item.entries.map((e) => `${e.key}: ${stringOf(e.value) ?? ''}`).join(' ') : '',
    )
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
  let files: string[] = [];
  // A set, not files.includes() (quadratic: minutes for a 100,000-file folder); one entry needs neither.
  let listed: Set<string> | undefined;
  let ok = true;
  for (const item of paths.items) {
    const found = pathEntryFiles(item, folder, ctx);
    if (!found) ok = false;
    else if (paths.items.length === 1) files = found.slice();
    else for (const f of found) if (!(listed ??= new Set()).has(f)) listed.add(f), files.push(f);
  }
  const self = files.indexOf(path.join(folder, 'MLTable'));
  if (self >= 0) files.splice(self, 1);
  return ok ? files : undefined;
}

function pathEntryFiles(item: YamlNode, folder: string, ctx: SpecContext): string[] | undefined {
  const entry =
    item.kind === 'map' ? item.entries.find((e) => (PATH_KINDS as readonly string[]).includes(e.key)) : undefined;
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
    ctx.findings.error(
      'input-path-missing',
      entry.value.loc,
      `MLTable ${entry.key} ${text} ${kind === 'missing' ? 'does not exist' : `is not a ${expected}`} (looked for ${target}).`,
      'Paths in an MLTable file are relative to its folder.',
    );
    return undefined;
  }
  return entry.key === 'file' ? [target] : listFilesAbsolute(target);
}

interface Reading {
  format?: Format;
  partitionFormat?: string;
}

function readTransformations(table: YamlMap, ctx: SpecContext): Reading | undefined {
  const list = valueOf(table, 'transformations');
  if (!list) return {};
  if (list.kind !== 'seq') {
    ctx.findings.error(
      'mltable-invalid',
      list.loc,
      '`transformations:` is a list.',
      'Write `transformations:` followed by `- read_delimited: {…}` items.',
    );
    return undefined;
  }
  const reading: Reading = {};
  let ok = true;
  for (const item of list.items) {
    const [name, options, at] = transformationOf(item);
    if (!applyTransformation(name, options, at, reading, ctx)) ok = false;
  }
  return ok ? reading : undefined;
}

function transformationOf(item: YamlNode): [string, YamlNode | undefined, YamlNode] {
  if (item.kind === 'scalar') return [String(item.value), undefined, item];
  if (item.kind === 'map' && item.entries.length > 0) {
    const first = item.entries[0];
    return [first.key, first.value, { kind: 'scalar', value: first.key, loc: first.keyLoc }];
  }
  return ['', undefined, item];
}

function applyTransformation(
  name: string,
  options: YamlNode | undefined,
  at: YamlNode,
  reading: Reading,
  ctx: SpecContext,
): boolean {
  const settings = options?.kind === 'map' ? options : undefined;
  switch (name) {
    case 'read_delimited':
      return readDelimited(settings, reading, ctx);
    case 'read_json_lines':
      if (settings) checkEncoding(settings, ctx);
      reading.format = jsonLines();
      return true;
    case 'read_parquet':
    case 'read_delta_lake':
      return unreadableFormat(name, at, ctx);
    case 'extract_columns_from_partition_format':
      reading.partitionFormat =
        options?.kind === 'map' ? stringOf(valueOf(options, 'partition_format')) : stringOf(options);
      return true;
    default:
      ctx.findings.warning(
        'mltable-transformation',
        at.loc,
        `Local runs do not apply the MLTable transformation \`${name}\`; run() sees the rows as read.`,
        'Apply it in run() if the local result must match, or remove it from the MLTable.',
      );
      return true;
  }
}

function unreadableFormat(name: string, at: YamlNode, ctx: SpecContext): boolean {
  const why =
    name === 'read_parquet'
      ? "parquet needs pyarrow, which Debian's python packages here don't ship; convert to CSV for local runs"
      : 'Delta Lake tables cannot be read locally; export a CSV sample for local runs';
  if (!ctx.local) {
    ctx.findings.warning('mltable-parquet', at.loc, `${name}: ${why}.`, 'Cloud runs read it as is.');
    return true;
  }
  ctx.findings.error(
    'mltable-parquet',
    at.loc,
    `${name}: ${why}.`,
    'Write a CSV sample (df.to_csv) and an MLTable with read_delimited, then --set inputs.<name>.path=<that folder>.',
  );
  return false;
}

function readDelimited(settings: YamlMap | undefined, reading: Reading, ctx: SpecContext): boolean {
  const delimiter = stringOf(settings && valueOf(settings, 'delimiter')) ?? ',';
  const headerNode = settings && valueOf(settings, 'header');
  const header = stringOf(headerNode) ?? 'all_files_same_headers';
  if (!(HEADERS as readonly string[]).includes(header)) {
    ctx.findings.error(
      'mltable-invalid',
      headerNode!.loc,
      `read_delimited header \`${header}\` is not an MLTable header mode.`,
      `Use one of: ${HEADERS.join(', ')}.`,
    );
    return false;
  }
  if (settings) checkEncoding(settings, ctx);
  if (settings) checkKeys(settings, READ_DELIMITED_KEYS, 'read_delimited', ctx.findings);
  reading.format = delimited(delimiter, header as TabularFormat['header']);
  return true;
}

const READ_DELIMITED_KEYS = [
  'delimiter',
  'header',
  'encoding',
  'empty_as_string',
  'include_path_column',
  'infer_column_types',
  'support_multi_line',
  'path_column',
];

function checkEncoding(settings: YamlMap, ctx: SpecContext): void {
  const node = valueOf(settings, 'encoding');
  const encoding = stringOf(node);
  if (encoding === undefined || UTF8_NAMES.includes(encoding.toLowerCase())) return;
  const report = ctx.local ? ctx.findings.error.bind(ctx.findings) : ctx.findings.warning.bind(ctx.findings);
  report(
    'mltable-encoding',
    node!.loc,
    `Local runs read UTF-8 only; this table says encoding \`${encoding}\`.`,
    'Convert the sample to UTF-8 (iconv -t utf-8) and set `encoding: utf8`.',
  );
}
