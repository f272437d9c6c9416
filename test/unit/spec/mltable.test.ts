import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { checkSpecText, loadSpec, type InputData } from '../../../src/core/spec';
import { writeTree, yaml, tablePipeline } from './fixture';

/** A pipeline whose only node reads the mltable input at `tablePath` (line 5). */

async function tableOf(
  files: Record<string, string>,
  tablePath = './table',
): Promise<{ data: InputData & { kind: 'tabular' }; dir: string }> {
  const dir = writeTree({ 'pipeline.yml': tablePipeline(tablePath), 'score.py': '', ...files });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { cpuCount: 1 });
  const data = spec.parallelNodes[0].inputData;
  assert.equal(data.kind, 'tabular');
  return { data: data as InputData & { kind: 'tabular' }, dir };
}

test('an MLTable with read_delimited gives its files and delimiter, header mode and partition format', async () => {
  const mltable = yaml(
    'type: mltable',
    'paths:',
    '  - pattern: ./data/*/*.csv',
    'transformations:',
    '  - read_delimited:',
    "      delimiter: ';'",
    '      header: from_first_file',
    '      encoding: utf8',
    '  - extract_columns_from_partition_format: "{Store}/{fn}.csv"',
  );
  const { data, dir } = await tableOf({
    'table/MLTable': mltable,
    'table/data/store_b/1.csv': 'x',
    'table/data/store_a/2.csv': 'x',
    'table/data/store_a/10.csv': 'x',
    'table/data/store_a/notes.txt': 'x',
    'table/data/top.csv': 'x',
  });
  const t = path.join(dir, 'table', 'data');
  assert.deepEqual(data.files, [path.join(t, 'store_a', '10.csv'), path.join(t, 'store_a', '2.csv'), path.join(t, 'store_b', '1.csv')]);
  assert.equal(data.path, path.join(dir, 'table'));
  assert.deepEqual(
    { ...data.tabular, source: undefined },
    {
      format: 'delimited',
      delimiter: ';',
      header: 'from_first_file',
      encoding: 'utf8',
      source: undefined,
      read: { supportMultiLine: false, inferColumnTypes: true },
      steps: [{ op: 'extract_columns_from_partition_format', partitionFormat: '{Store}/{fn}.csv' }],
    },
  );
  assert.match(data.tabular.source, /MLTable: pattern: \.\/data\/\*\/\*\.csv/);
  assert.equal(data.partitionFormat, '{Store}/{fn}.csv');
});

test('MLTable paths keep the order of the list: file, folder (recursive, sorted), pattern (** matches any depth)', async () => {
  const mltable = yaml(
    'paths:',
    '  - file: ./z.csv',
    '  - folder: ./more',
    '  - pattern: ./deep/**/*.csv',
    'transformations:',
    '  - read_delimited: {}',
  );
  const { data, dir } = await tableOf({
    'table/MLTable': mltable,
    'table/z.csv': 'x',
    'table/more/b.csv': 'x',
    'table/more/a/c.csv': 'x',
    'table/deep/x.csv': 'x',
    'table/deep/1/2/y.csv': 'x',
  });
  const t = path.join(dir, 'table');
  assert.deepEqual(data.files, [
    path.join(t, 'z.csv'),
    path.join(t, 'more', 'a', 'c.csv'),
    path.join(t, 'more', 'b.csv'),
    path.join(t, 'deep', '1', '2', 'y.csv'),
    path.join(t, 'deep', 'x.csv'),
  ]);
  assert.deepEqual([data.tabular.delimiter, data.tabular.header], [',', 'all_files_same_headers']);
});

test('read_json_lines makes a JSON-lines table', async () => {
  const mltable = yaml('paths:', '  - file: ./rows.jsonl', 'transformations:', '  - read_json_lines:', '      encoding: utf8');
  const { data, dir } = await tableOf({ 'table/MLTable': mltable, 'table/rows.jsonl': '{"a":1}\n' });
  assert.deepEqual(data.files, [path.join(dir, 'table', 'rows.jsonl')]);
  assert.equal(data.tabular.format, 'json_lines');
});

test("read_parquet makes a parquet table (the worker's interpreter needs pyarrow); read_delta_lake is refused at its line", async () => {
  const parquet = yaml('paths:', '  - pattern: ./*.parquet', 'transformations:', '  - read_parquet:', '      include_path_column: true');
  const { data } = await tableOf({ 'table/MLTable': parquet, 'table/rows.parquet': 'PAR1' });
  assert.deepEqual([data.tabular.format, data.tabular.read], ['parquet', { includePathColumn: true }]);
  const delta = yaml(
    'paths:',
    '  - folder: ./delta',
    'transformations:',
    '  - read_delta_lake:',
    "      timestamp_as_of: '2022-08-26T00:00:00Z'",
  );
  const dir = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/MLTable': delta,
    'table/delta/x.parquet': 'PAR1',
  });
  const { diagnostics, spec } = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml'));
  assert.equal(spec, undefined);
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.file, d.location.line, d.location.column]),
    [['mltable-parquet', path.join(dir, 'table', 'MLTable'), 4, 5]],
  );
  assert.match(diagnostics[0].message, /Delta Lake tables cannot be read locally/);
});

/** The diagnostics of a pipeline over ./table holding `files`, as [severity, rule, file, line, column]. */
function diagnosticsOf(
  files: Record<string, string>,
  pipelineText = tablePipeline('./table'),
): [string, string, string, number, number, string][] {
  const dir = writeTree({ 'pipeline.yml': pipelineText, 'score.py': '', ...files });
  const { diagnostics } = checkSpecText(pipelineText, path.join(dir, 'pipeline.yml'));
  return diagnostics.map((d) => [
    d.severity,
    d.rule,
    path.relative(dir, d.location.file),
    d.location.line,
    d.location.column,
    `${d.message} | ${d.fix}`,
  ]);
}

test('transformations after the read step are kept in order, with the read options', async () => {
  const mltable = yaml(
    'type: mltable',
    'paths:',
    '  - pattern: ./**/*.csv',
    'transformations:',
    '  - read_delimited:',
    '      delimiter: ","',
    '      encoding: ascii',
    '      header: all_files_same_headers',
    '      empty_as_string: false',
    '      include_path_column: true',
    '  - extract_columns_from_partition_format:',
    '      partition_format: "{Store}/{Brand}/{file_name}.{extension}"',
    '  - drop_columns: ["Path", "file_name", "extension"]',
    '  - skip: 2',
    '  - take: 10',
    '  - keep_columns: [Store, qty, day]',
    '  - convert_column_types:',
    '      - columns: qty',
    '        column_type: float',
    '      - columns: [day]',
    '        column_type:',
    '          datetime:',
    '            formats: ["%Y-%m-%d"]',
  );
  const { data } = await tableOf({ 'table/MLTable': mltable, 'table/1000/dom/part.csv': 'qty,day\n1,2020-01-01\n' });
  assert.equal(data.tabular.encoding, 'ascii');
  assert.deepEqual(data.tabular.read, { supportMultiLine: false, inferColumnTypes: true, emptyAsString: false, includePathColumn: true });
  assert.deepEqual(data.tabular.steps, [
    { op: 'extract_columns_from_partition_format', partitionFormat: '{Store}/{Brand}/{file_name}.{extension}' },
    { op: 'drop_columns', columns: ['Path', 'file_name', 'extension'] },
    { op: 'skip', count: 2 },
    { op: 'take', count: 10 },
    { op: 'keep_columns', columns: ['Store', 'qty', 'day'] },
    {
      op: 'convert_column_types',
      conversions: [
        { columns: ['qty'], type: 'float' },
        { columns: ['day'], type: 'datetime', formats: ['%Y-%m-%d'] },
      ],
    },
  ]);
  assert.equal(data.partitionFormat, '{Store}/{Brand}/{file_name}.{extension}');
});

test('a transformation a local run cannot apply is an error at its line in the MLTable, naming it', () => {
  const mltable = yaml(
    'paths:',
    '  - file: ./a.csv',
    'transformations:',
    '  - read_delimited: {delimiter: ","}',
    '  - filter: \'col("a") > 1\'',
    '  - take_random_sample: {probability: 0.5, seed: 1}',
    '  - pivot_columns: [a]',
  );
  const found = diagnosticsOf({ 'table/MLTable': mltable, 'table/a.csv': 'a,b\n' });
  assert.deepEqual(
    found.map((d) => d.slice(0, 5)),
    [
      ['error', 'mltable-transformation', path.join('table', 'MLTable'), 5, 5],
      ['error', 'mltable-transformation', path.join('table', 'MLTable'), 6, 5],
      ['error', 'mltable-transformation', path.join('table', 'MLTable'), 7, 5],
    ],
  );
  assert.match(found[0][5], /^filter: .*filter inside run\(\)/);
  assert.match(found[1][5], /^take_random_sample: .*take: 100/);
  assert.match(found[2][5], /`pivot_columns` is not an MLTable transformation a local run can apply/);
});

test('wrong transformation options are errors at the option', () => {
  const mltable = yaml(
    'paths:',
    '  - file: ./a.csv',
    'transformations:',
    '  - read_delimited:',
    '      header: first_line',
    '      encoding: utf16',
    '      include_path_column: "yes"',
    '  - take: -1',
    '  - convert_column_types:',
    '      - columns: a',
    '        column_type: decimal',
  );
  const found = diagnosticsOf({ 'table/MLTable': mltable, 'table/a.csv': 'a,b\n' });
  assert.deepEqual(
    found.map((d) => [d[3], d[4]]),
    [
      [5, 15],
      [6, 17],
      [7, 28],
      [8, 11],
      [11, 22],
    ],
  );
  assert.match(found[0][5], /header `first_line` is not an MLTable header mode.*all_files_same_headers/);
  assert.match(found[1][5], /cannot read utf16.*iconv/);
  assert.match(found[2][5], /include_path_column` is true or false/);
  assert.match(found[3][5], /whole number of rows/);
  assert.match(found[4][5], /column_type `decimal`.*int, float, string, boolean, datetime/);
});

test('an MLTable of paths alone is a table of files: kind files, in path order, skip/take count files', async () => {
  const mltable = yaml('paths:', '  - folder: ./mnist', 'transformations:', '  - skip: 1', '  - take: 2');
  const dir = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/MLTable': mltable,
    'table/mnist/0.png': 'x',
    'table/mnist/1.png': 'x',
    'table/mnist/2.png': 'x',
    'table/mnist/3.png': 'x',
  });
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { cpuCount: 1 });
  const job = spec.parallelNodes[0];
  const data = job.inputData;
  assert.equal(data.kind, 'files');
  assert.equal(data.type, 'mltable');
  assert.deepEqual(data.kind === 'files' && data.files, [path.join(dir, 'table/mnist/1.png'), path.join(dir, 'table/mnist/2.png')]);
  assert.equal(job.miniBatchSize, 10, 'mini_batch_size counts files: the files default');
});

test('a row transformation on a table of files is an error: it has no rows', () => {
  const mltable = yaml('paths:', '  - folder: ./mnist', 'transformations:', '  - drop_columns: [Path]');
  const found = diagnosticsOf({ 'table/MLTable': mltable, 'table/mnist/0.png': 'x' });
  assert.deepEqual(
    found.map((d) => d.slice(1, 5)),
    [['mltable-transformation', path.join('table', 'MLTable'), 4, 5]],
  );
  assert.match(found[0][5], /no read step.*read_delimited/);
});

test('`file:` that names a folder suggests `folder:`', () => {
  const mltable = yaml('paths:', '  - file: ./mnist');
  const found = diagnosticsOf({ 'table/MLTable': mltable, 'table/mnist/0.png': 'x' });
  assert.deepEqual(
    found.map((d) => d.slice(1, 5)),
    [['mltable-path-kind', path.join('table', 'MLTable'), 2, 11]],
  );
  assert.match(found[0][5], /is a folder, not a file.*Write `- folder: \.\/mnist` instead of `- file: \.\/mnist`/);
});

/** tablePipeline with partition_keys under the node. */
function keyedPipeline(keys: string, type = 'mltable', tablePath = './table'): string {
  return tablePipeline(tablePath)
    .replace('    type: mltable', `    type: ${type}`)
    .replace('    input_data:', `    partition_keys: ${keys}\n    input_data:`);
}

test('partition_keys of a table of files are matched by name against its partition format', () => {
  const mltable = yaml(
    'paths:',
    '  - pattern: ./**/*.csv',
    'transformations:',
    '  - extract_columns_from_partition_format: {partition_format: "{Store}/{Brand}/{file_name}.csv"}',
  );
  const files = { 'table/MLTable': mltable, 'table/1/x/a.csv': 'q\n1\n' };
  assert.deepEqual(diagnosticsOf(files, keyedPipeline('[Brand, Store]')), []);
  const wrong = diagnosticsOf(files, keyedPipeline('[Store, Brnd]'));
  assert.deepEqual(
    wrong.map((d) => d.slice(1, 5)),
    [['partition-keys', 'pipeline.yml', 11, 21]],
  );
  assert.match(wrong[0][5], /`Brnd` is not in the partition format "\{Store\}\/\{Brand\}\/\{file_name\}\.csv".*Store, Brand, file_name/);
});

test('partition_keys on a plain uri_folder are an error with an MLTable to paste', () => {
  const found = diagnosticsOf({ 'data/S1/x/a.png': 'x' }, keyedPipeline('[Store]', 'uri_folder', './data'));
  assert.deepEqual(
    found.map((d) => d.slice(1, 5)),
    [['partition-keys', 'pipeline.yml', 11, 21]],
  );
  assert.match(
    found[0][5],
    /has none: it is a uri_folder.*extract_columns_from_partition_format: \{partition_format: "\{Store\}\/\{file_name\}"\}/,
  );
});

test('an MLTable whose paths match nothing, or name a missing file, is an error in the MLTable', () => {
  const empty = yaml('paths:', '  - pattern: ./*.csv', 'transformations:', '  - read_delimited: {}');
  const dir = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/MLTable': empty });
  const first = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml')).diagnostics;
  assert.deepEqual(
    first.map((d) => [d.rule, d.location.line]),
    [['mltable-no-files', 2]],
  );
  const missing = yaml('paths:', '  - file: ./gone.csv');
  const dir2 = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/MLTable': missing });
  const second = checkSpecText(tablePipeline('./table'), path.join(dir2, 'pipeline.yml')).diagnostics;
  assert.deepEqual(
    second.map((d) => [d.rule, d.location.line, d.location.column]),
    [['input-path-missing', 2, 11]],
  );
});

test('a plain .csv path is a one-file table', async () => {
  const { data, dir } = await tableOf({ 'iris.csv': 'a,b\n1,2\n' }, './iris.csv');
  assert.deepEqual(data.files, [path.join(dir, 'iris.csv')]);
  assert.deepEqual([data.tabular.format, data.tabular.delimiter], ['delimited', ',']);
});

test('a folder without an MLTable file is read by extension, files sorted by relative path', async () => {
  const { data, dir } = await tableOf({ 'table/b.tsv': 'x', 'table/a/z.tsv': 'x', 'table/readme.md': 'x' });
  assert.deepEqual(data.files, [path.join(dir, 'table', 'a', 'z.tsv'), path.join(dir, 'table', 'b.tsv')]);
  assert.deepEqual([data.tabular.format, data.tabular.delimiter], ['delimited', '\t']);
  // Whole relative paths are compared, not folder by folder: `a-b/…` sorts before `a/…` ('-' < '/').
  const nested = await tableOf({ 'table/a/x.csv': 'x', 'table/a-b/x.csv': 'x' });
  assert.deepEqual(nested.data.files, [path.join(nested.dir, 'table', 'a-b', 'x.csv'), path.join(nested.dir, 'table', 'a', 'x.csv')]);
  const jsonl = await tableOf({ 'rows.jsonl': '{}\n' }, './rows.jsonl');
  assert.equal(jsonl.data.tabular.format, 'json_lines');
});

test('a folder of mixed file types, or of none the table can read, is an error at the input path', () => {
  const mixed = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/a.csv': 'x',
    'table/b.jsonl': 'x',
  });
  const d1 = checkSpecText(tablePipeline('./table'), path.join(mixed, 'pipeline.yml')).diagnostics;
  assert.deepEqual(
    d1.map((d) => [d.rule, d.location.line, d.location.column]),
    [['mltable-mixed-formats', 5, 11]],
  );
  const none = writeTree({ 'pipeline.yml': tablePipeline('./table'), 'score.py': '', 'table/a.txt': 'x' });
  const d2 = checkSpecText(tablePipeline('./table'), path.join(none, 'pipeline.yml')).diagnostics;
  assert.deepEqual(
    d2.map((d) => d.rule),
    ['mltable-no-files'],
  );
});

test('linked folders are followed once, so a link loop does not hang the listing', async () => {
  const dir = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/a.csv': 'x',
    'real/b.csv': 'x',
  });
  const fs = await import('fs');
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'table', 'linked'));
  fs.symlinkSync(path.join(dir, 'table'), path.join(dir, 'table', 'loop'));
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'));
  const data = spec.parallelNodes[0].inputData;
  assert.deepEqual(data.kind === 'tabular' && data.files, [path.join(dir, 'table', 'a.csv'), path.join(dir, 'table', 'linked', 'b.csv')]);
});

test('partition_keys of a table: a key the MLTable itself drops is an error naming the step', () => {
  const mltable = yaml(
    'paths:',
    '  - pattern: ./**/*.csv',
    'transformations:',
    '  - read_delimited: {include_path_column: true}',
    '  - extract_columns_from_partition_format: {partition_format: "{Store}/{Brand}/{file_name}.{extension}"}',
    '  - drop_columns: [Path, file_name, extension]',
    '  - keep_columns: [Store, qty]',
  );
  const files = { 'table/MLTable': mltable, 'table/1000/dom/a.csv': 'qty\n1\n' };
  assert.deepEqual(diagnosticsOf(files, keyedPipeline('[Store]')), []);
  const found = diagnosticsOf(files, keyedPipeline('[Store, Brand]'));
  assert.deepEqual(
    found.map((d) => d.slice(1, 5)),
    [['partition-keys', 'pipeline.yml', 11, 21]],
  );
  assert.match(found[0][5], /`Brand` is removed by the MLTable's `keep_columns`/);
});

test('a one-entry MLTable paths list over its own folder leaves out the MLTable file (sync and async checks)', async () => {
  const mltable = yaml('paths:', '  - folder: .', 'transformations:', '  - read_delimited:', "      delimiter: ','");
  const { data, dir } = await tableOf({ 'table/MLTable': mltable, 'table/b.csv': 'x', 'table/a.csv': 'x', 'table/sub/c.csv': 'x' });
  const t = path.join(dir, 'table');
  assert.deepEqual(data.files, [path.join(t, 'a.csv'), path.join(t, 'b.csv'), path.join(t, 'sub', 'c.csv')]);
  const sync = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml'), { cpuCount: 1 });
  const files = (sync.spec?.parallelNodes[0].inputData as InputData & { kind: 'tabular' }).files;
  assert.deepEqual(files, data.files);
});
