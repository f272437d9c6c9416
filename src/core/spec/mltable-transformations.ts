/**
 * The `transformations:` list of an MLTable file, read as the `mltable` library reads it: one read step
 * (read_delimited, read_json_lines) that says how files become rows, and the steps after it, kept in order
 * for the worker. A transformation a local run cannot apply is an error at its line, never a warning that
 * ends in a different table later.
 */
import type { SpecContext } from './context';
import { checkKeys } from './keys';
import type { ColumnConversion, TableEncoding, TableReadOptions, TableStep, TabularFormat } from './types';
import { stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

export type ReadFormat = Omit<TabularFormat, 'source' | 'steps'>;

export interface Transformations {
  /** The read step; absent when the MLTable lists files only (a table of files). */
  format?: ReadFormat;
  steps: TableStep[];
}

const HEADERS: readonly TabularFormat['header'][] = [
  'all_files_same_headers',
  'all_files_different_headers',
  'from_first_file',
  'no_header',
];
/** MLTable encodings whose line breaks are single 0x0A bytes, so byte ranges still hold whole records. */
const LOCAL_ENCODINGS: readonly TableEncoding[] = ['utf8', 'utf8bom', 'ascii', 'latin1', 'iso88591', 'windows1252'];
const CLOUD_ONLY_ENCODINGS = ['utf16', 'utf32'];
const READ_DELIMITED_KEYS = [
  'delimiter',
  'header',
  'encoding',
  'empty_as_string',
  'include_path_column',
  'path_column',
  'infer_column_types',
  'support_multi_line',
];
const READ_JSON_LINES_KEYS = ['encoding', 'invalid_lines', 'include_path_column', 'path_column'];
const READ_PARQUET_KEYS = ['include_path_column', 'path_column'];
const COLUMN_TYPES: readonly ColumnConversion['type'][] = ['int', 'float', 'string', 'boolean', 'datetime'];
/** Steps that need rows: a table of files (no read step) has none of them. */
const ROW_STEPS = new Set<TableStep['op']>(['drop_columns', 'keep_columns', 'convert_column_types']);

const NOT_LOCAL: Record<string, string> = {
  read_delta_lake: 'Delta Lake tables cannot be read locally; export a CSV sample for local runs',
  take_random_sample: "a local run cannot draw the cloud's random sample; use `take: N` for a fixed local sample, or remove the step",
  filter: 'local runs do not evaluate MLTable filter expressions; filter inside run(), or write a filtered copy',
};
const NOT_LOCAL_FIX: Record<string, string> = {
  read_delta_lake: 'Write a CSV sample (df.to_csv) and an MLTable with read_delimited, then --set inputs.<name>.path=<that folder>.',
  take_random_sample: 'Replace it with `- take: 100` while running locally.',
  filter: 'Remove the `filter` step and keep the rows you want inside run().',
};

/** Reads `transformations:`; problems are reported and give undefined. */
export function readTransformations(table: YamlMap, ctx: SpecContext): Transformations | undefined {
  const list = valueOf(table, 'transformations');
  if (!list) return { steps: [] };
  if (list.kind !== 'seq') {
    ctx.findings.error(
      'mltable-invalid',
      list.loc,
      '`transformations:` is a list.',
      'Write `transformations:` followed by `- read_delimited: {…}` items.',
    );
    return undefined;
  }
  const out: Transformations = { steps: [] };
  let readAt: YamlNode | undefined;
  let ok = true;
  for (const item of list.items) {
    const [name, options, at] = transformationOf(item);
    const reader = new StepReader(name, options, at, ctx);
    if (name === 'read_delimited' || name === 'read_json_lines' || name === 'read_parquet') {
      if (readAt) {
        reader.error(
          `A table has one read step; this is a second one after line ${readAt.loc.line}.`,
          'Keep one of read_delimited, read_json_lines and read_parquet.',
        );
        ok = false;
        continue;
      }
      readAt = at;
      const format =
        name === 'read_delimited' ? reader.readDelimited() : name === 'read_json_lines' ? reader.readJsonLines() : reader.readParquet();
      if (format) out.format = format;
      else ok = false;
      continue;
    }
    if (name in NOT_LOCAL) {
      if (!reader.notLocal()) ok = false;
      continue;
    }
    const step = reader.step();
    if (step === undefined) ok = false;
    else if (step) out.steps.push(step);
  }
  if (!ok) return undefined;
  if (!out.format) {
    const needsRows = out.steps.find((s) => ROW_STEPS.has(s.op));
    if (needsRows) {
      const item = list.items[out.steps.indexOf(needsRows)] ?? list;
      ctx.findings.error(
        'mltable-transformation',
        item.loc,
        `\`${needsRows.op}\` works on rows, but this MLTable has no read step: its paths are a table of files.`,
        'Add `- read_delimited: {delimiter: ","}` (or read_json_lines) before it, or remove it.',
      );
      return undefined;
    }
  }
  return out;
}

function transformationOf(item: YamlNode): [string, YamlNode | undefined, YamlNode] {
  if (item.kind === 'scalar') return [String(item.value), undefined, item];
  if (item.kind === 'map' && item.entries.length > 0) {
    const first = item.entries[0];
    return [first.key, first.value, { kind: 'scalar', value: first.key, loc: first.keyLoc }];
  }
  return ['', undefined, item];
}

/** Reads one transformation's options, reporting at the option that is wrong. */
class StepReader {
  private failed = false;

  constructor(
    private readonly name: string,
    private readonly options: YamlNode | undefined,
    private readonly at: YamlNode,
    private readonly ctx: SpecContext,
  ) {}

  error(message: string, fix: string, node: YamlNode = this.at): void {
    this.failed = true;
    this.ctx.findings.error('mltable-transformation', node.loc, message, fix);
  }

  private get settings(): YamlMap | undefined {
    return this.options?.kind === 'map' ? this.options : undefined;
  }

  notLocal(): boolean {
    const why = `${this.name}: ${NOT_LOCAL[this.name]}.`;
    if (!this.ctx.local) {
      this.ctx.findings.warning('mltable-transformation', this.at.loc, why, 'Cloud runs apply it as is.');
      return true;
    }
    this.ctx.findings.error(
      this.name === 'read_parquet' || this.name === 'read_delta_lake' ? 'mltable-parquet' : 'mltable-transformation',
      this.at.loc,
      why,
      NOT_LOCAL_FIX[this.name],
    );
    return false;
  }

  /** A step after the read step; undefined after an error. */
  step(): TableStep | undefined {
    switch (this.name) {
      case 'extract_columns_from_partition_format':
        return this.partitionFormat();
      case 'drop_columns':
      case 'keep_columns': {
        const columns = this.columnList(this.settings ? valueOf(this.settings, 'columns') : this.options);
        return columns && { op: this.name, columns };
      }
      case 'skip':
      case 'take': {
        const count = this.count();
        return count === undefined ? undefined : { op: this.name, count };
      }
      case 'convert_column_types':
        return this.conversions();
      default:
        this.error(
          `\`${this.name || 'this item'}\` is not an MLTable transformation a local run can apply.`,
          'Local runs apply read_delimited, read_json_lines, read_parquet, extract_columns_from_partition_format, drop_columns, ' +
            'keep_columns, skip, take and convert_column_types; remove or rename this step.',
          this.at,
        );
        return undefined;
    }
  }

  readDelimited(): ReadFormat | undefined {
    const s = this.settings;
    if (s) checkKeys(s, READ_DELIMITED_KEYS, 'read_delimited', this.ctx.findings);
    const delimiter = this.text('delimiter') ?? ',';
    if (delimiter === '') this.error('read_delimited `delimiter` is empty.', 'Write e.g. `delimiter: ","`.', this.node('delimiter'));
    const header = this.text('header') ?? 'all_files_same_headers';
    if (!(HEADERS as readonly string[]).includes(header))
      this.error(
        `read_delimited header \`${header}\` is not an MLTable header mode.`,
        `Use one of: ${HEADERS.join(', ')}.`,
        this.node('header'),
      );
    const encoding = this.encoding();
    // The library's default; said explicitly so that the worker refuses quoted line breaks as the cloud splits them.
    const read: TableReadOptions = { supportMultiLine: false, inferColumnTypes: true };
    this.flag('empty_as_string', (v) => (read.emptyAsString = v));
    this.flag('include_path_column', (v) => (read.includePathColumn = v));
    this.flag('support_multi_line', (v) => (read.supportMultiLine = v));
    this.flag('infer_column_types', (v) => (read.inferColumnTypes = v));
    this.pathColumn(read);
    if (this.failed || encoding === undefined) return undefined;
    return { format: 'delimited', delimiter, header: header as TabularFormat['header'], encoding, read };
  }

  readJsonLines(): ReadFormat | undefined {
    const s = this.settings;
    if (s) checkKeys(s, READ_JSON_LINES_KEYS, 'read_json_lines', this.ctx.findings);
    const encoding = this.encoding();
    const read: TableReadOptions = {};
    this.flag('include_path_column', (v) => (read.includePathColumn = v));
    this.pathColumn(read);
    const invalid = this.text('invalid_lines');
    if (invalid !== undefined) {
      if (invalid === 'error' || invalid === 'drop') read.invalidLines = invalid;
      else
        this.error(
          `read_json_lines invalid_lines \`${invalid}\` is neither error nor drop.`,
          'Write `invalid_lines: error` or `invalid_lines: drop`.',
          this.node('invalid_lines'),
        );
    }
    if (this.failed || encoding === undefined) return undefined;
    return { format: 'json_lines', delimiter: '', header: 'no_header', encoding, read };
  }

  readParquet(): ReadFormat | undefined {
    const s = this.settings;
    if (s) checkKeys(s, READ_PARQUET_KEYS, 'read_parquet', this.ctx.findings);
    const read: TableReadOptions = {};
    this.flag('include_path_column', (v) => (read.includePathColumn = v));
    this.pathColumn(read);
    if (this.failed) return undefined;
    return { format: 'parquet', delimiter: '', header: 'no_header', encoding: 'utf8', read };
  }

  private node(key: string): YamlNode {
    return (this.settings && valueOf(this.settings, key)) ?? this.at;
  }

  private text(key: string): string | undefined {
    return stringOf(this.settings && valueOf(this.settings, key));
  }

  private flag(key: string, set: (v: boolean) => void): void {
    const node = this.settings && valueOf(this.settings, key);
    if (!node) return;
    if (node.kind === 'scalar' && typeof node.value === 'boolean') set(node.value);
    else this.error(`${this.name} \`${key}\` is true or false.`, `Write \`${key}: false\` or \`${key}: true\`.`, node);
  }

  private pathColumn(read: TableReadOptions): void {
    const name = this.text('path_column');
    if (name !== undefined && name.trim() !== '') read.pathColumn = name;
  }

  private encoding(): TableEncoding | undefined {
    const node = this.settings && valueOf(this.settings, 'encoding');
    const written = stringOf(node);
    if (written === undefined) return 'utf8';
    const name = written.toLowerCase().replace(/[-_]/g, '');
    if ((LOCAL_ENCODINGS as readonly string[]).includes(name)) return name as TableEncoding;
    if (CLOUD_ONLY_ENCODINGS.includes(name) && !this.ctx.local) return 'utf8';
    this.error(
      CLOUD_ONLY_ENCODINGS.includes(name)
        ? `Local runs split tables into byte ranges at single-byte line breaks, so they cannot read ${written}.`
        : `\`${written}\` is not an MLTable encoding.`,
      CLOUD_ONLY_ENCODINGS.includes(name)
        ? 'Convert the sample to UTF-8 (iconv -f utf-16 -t utf-8) and set `encoding: utf8`.'
        : `Use one of: ${[...LOCAL_ENCODINGS, ...CLOUD_ONLY_ENCODINGS].join(', ')}.`,
      node!,
    );
    return undefined;
  }

  private partitionFormat(): TableStep | undefined {
    const node = this.settings ? valueOf(this.settings, 'partition_format') : this.options;
    const format = stringOf(node);
    if (format === undefined || format.trim() === '') {
      this.error(
        'extract_columns_from_partition_format needs a partition format.',
        'Write `- extract_columns_from_partition_format: {partition_format: "{Store}/{Brand}/{file_name}.csv"}`.',
        node ?? this.at,
      );
      return undefined;
    }
    const problem = partitionFormatProblem(format);
    if (problem) {
      this.error(
        `partition_format "${format}": ${problem}.`,
        'Name each path segment as `{Column}`, e.g. "{Store}/{Brand}/{file_name}.{extension}".',
        node!,
      );
      return undefined;
    }
    return { op: 'extract_columns_from_partition_format', partitionFormat: format };
  }

  private columnList(node: YamlNode | undefined): string[] | undefined {
    const items = node?.kind === 'seq' ? node.items : node ? [node] : [];
    const columns = items.map((item) => (item.kind === 'scalar' && item.value !== null ? String(item.value) : undefined));
    if (columns.some((c) => c === undefined || c === '')) {
      this.error(`\`${this.name}\` takes column names.`, `Write e.g. \`- ${this.name}: [Path, file_name]\`.`, node ?? this.at);
      return undefined;
    }
    const names = columns as string[];
    const twice = names.find((c, i) => names.indexOf(c) !== i);
    if (twice !== undefined) {
      this.error(`\`${this.name}\` names the column ${twice} twice.`, `List ${twice} once.`, node!);
      return undefined;
    }
    return names;
  }

  private count(): number | undefined {
    const node = this.settings ? valueOf(this.settings, 'count') : this.options;
    const value = node?.kind === 'scalar' ? node.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.error(`\`${this.name}\` takes a whole number of rows (0 or more).`, `Write e.g. \`- ${this.name}: 100\`.`, node ?? this.at);
    return undefined;
  }

  private conversions(): TableStep | undefined {
    const list = this.options;
    const items = list?.kind === 'seq' ? list.items : list ? [list] : [];
    const conversions: ColumnConversion[] = [];
    for (const item of items) {
      const c = item.kind === 'map' ? this.conversion(item) : undefined;
      if (item.kind !== 'map')
        this.error(
          'Each convert_column_types item is a map with `columns` and `column_type`.',
          'Write `- columns: [a, b]` and `column_type: int` under convert_column_types.',
          item,
        );
      if (c) conversions.push(c);
    }
    if (items.length === 0)
      this.error('convert_column_types lists no conversions.', 'Add `- columns: price` with `column_type: float`.', list ?? this.at);
    return this.failed ? undefined : { op: 'convert_column_types', conversions };
  }

  private conversion(item: YamlMap): ColumnConversion | undefined {
    checkKeys(item, ['columns', 'column_type'], 'a convert_column_types item', this.ctx.findings);
    const columns = this.columnList(valueOf(item, 'columns'));
    const typeNode = valueOf(item, 'column_type');
    if (!columns) return undefined;
    if (!typeNode) {
      this.error('This conversion has no `column_type`.', `Add \`column_type: ${COLUMN_TYPES.join(' | ')}\`.`, item);
      return undefined;
    }
    if (typeNode.kind === 'scalar') {
      const type = String(typeNode.value);
      if ((COLUMN_TYPES as readonly string[]).includes(type)) return { columns, type: type as ColumnConversion['type'] };
      this.unknownType(type, typeNode);
      return undefined;
    }
    const entry = typeNode.kind === 'map' && typeNode.entries.length === 1 ? typeNode.entries[0] : undefined;
    const options = entry?.value.kind === 'map' ? entry.value : undefined;
    if (entry?.key === 'datetime' && options) {
      checkKeys(options, ['formats', 'date_constant'], 'column_type datetime', this.ctx.findings);
      const formats = this.columnList(valueOf(options, 'formats'));
      return formats && { columns, type: 'datetime', formats };
    }
    if (entry?.key === 'boolean' && options) {
      checkKeys(options, ['true_values', 'false_values', 'mismatch_as'], 'column_type boolean', this.ctx.findings);
      const trueValues = this.columnList(valueOf(options, 'true_values'));
      const falseValues = this.columnList(valueOf(options, 'false_values'));
      const mismatch = stringOf(valueOf(options, 'mismatch_as')) ?? 'error';
      if (!['true', 'false', 'error'].includes(mismatch)) {
        this.error(
          `mismatch_as \`${mismatch}\` is not true, false or error.`,
          'Write `mismatch_as: error`.',
          valueOf(options, 'mismatch_as')!,
        );
        return undefined;
      }
      if (!trueValues || !falseValues) return undefined;
      return { columns, type: 'boolean', trueValues, falseValues, mismatchAs: mismatch as ColumnConversion['mismatchAs'] };
    }
    this.unknownType(entry?.key ?? typeNode.kind, typeNode);
    return undefined;
  }

  private unknownType(type: string, node: YamlNode): void {
    this.error(
      type === 'stream_info'
        ? 'column_type stream_info: local runs read rows, not streams.'
        : `column_type \`${type}\` is not a type a local run converts to.`,
      `Use one of: ${COLUMN_TYPES.join(', ')} (datetime with \`{datetime: {formats: ["%Y-%m-%d"]}}\`).`,
      node,
    );
  }
}

/** Why a partition format cannot be used, or undefined when it can. */
export function partitionFormatProblem(format: string): string | undefined {
  let depth = 0;
  for (const ch of format) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if (depth < 0 || depth > 1) return 'braces do not pair up';
  }
  if (depth !== 0) return 'braces do not pair up';
  const names = partitionFormatColumns(format);
  if (names.length === 0) return 'it names no column';
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return `it names {${twice}} twice`;
  return undefined;
}

/** The column names of a partition format, in order: `{Store}/{d:yyyy}/x.csv` → [Store, d]. */
export function partitionFormatColumns(format: string): string[] {
  return [...format.matchAll(/\{([^{}:]+)(?::[^{}]*)?\}/g)].map((m) => m[1].trim());
}
