import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { checkSpecText, loadSpec, type InputData } from '../../../src/core/spec';
import { writeTree, yaml } from './fixture';

/** A pipeline whose only node reads the mltable input at `tablePath` (line 5). */
function tablePipeline(tablePath: string): string {
  return yaml(
    'type: pipeline',
    'inputs:',
    '  table:',
    '    type: mltable',
    `    path: ${tablePath}`,
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      table: ${{parent.inputs.table}}',
    '    input_data: ${{inputs.table}}',
    '    task:',
    '      entry_script: score.py',
  );
}

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
  assert.deepEqual(data.files, [
    path.join(t, 'store_a', '10.csv'),
    path.join(t, 'store_a', '2.csv'),
    path.join(t, 'store_b', '1.csv'),
  ]);
  assert.equal(data.path, path.join(dir, 'table'));
  assert.deepEqual(
    { ...data.tabular, source: undefined },
    { format: 'delimited', delimiter: ';', header: 'from_first_file', encoding: 'utf8', source: undefined },
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
  const mltable = yaml(
    'paths:',
    '  - file: ./rows.jsonl',
    'transformations:',
    '  - read_json_lines:',
    '      encoding: utf8',
  );
  const { data, dir } = await tableOf({ 'table/MLTable': mltable, 'table/rows.jsonl': '{"a":1}\n' });
  assert.deepEqual(data.files, [path.join(dir, 'table', 'rows.jsonl')]);
  assert.equal(data.tabular.format, 'json_lines');
});

test('read_parquet is a local error inside the MLTable file, explaining why', () => {
  const mltable = yaml(
    'paths:',
    '  - file: ./rows.parquet',
    'transformations:',
    '  - read_parquet:',
    '      include_path_column: false',
  );
  const dir = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/MLTable': mltable,
    'table/rows.parquet': 'PAR1',
  });
  const { diagnostics, spec } = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml'));
  assert.equal(spec, undefined);
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.deepEqual(
    [d.rule, d.location.file, d.location.line, d.location.column],
    ['mltable-parquet', path.join(dir, 'table', 'MLTable'), 4, 5],
  );
  assert.match(
    d.message,
    /parquet needs pyarrow, which Debian's python packages here don't ship; convert to CSV for local runs/,
  );
});

test('other transformations are a warning that local runs do not apply them', () => {
  const mltable = yaml(
    'paths:',
    '  - file: ./a.csv',
    'transformations:',
    '  - read_delimited: {delimiter: ","}',
    '  - take: 10',
    '  - drop_columns: [b]',
  );
  const dir = writeTree({
    'pipeline.yml': tablePipeline('./table'),
    'score.py': '',
    'table/MLTable': mltable,
    'table/a.csv': 'a,b\n',
  });
  const { diagnostics, spec } = checkSpecText(tablePipeline('./table'), path.join(dir, 'pipeline.yml'));
  assert.ok(spec);
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.rule, d.location.line]),
    [
      ['warning', 'mltable-transformation', 5],
      ['warning', 'mltable-transformation', 6],
    ],
  );
  assert.match(diagnostics[0].message, /`take`/);
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
  assert.deepEqual(nested.data.files, [
    path.join(nested.dir, 'table', 'a-b', 'x.csv'),
    path.join(nested.dir, 'table', 'a', 'x.csv'),
  ]);
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
  assert.deepEqual(data.kind === 'tabular' && data.files, [
    path.join(dir, 'table', 'a.csv'),
    path.join(dir, 'table', 'linked', 'b.csv'),
  ]);
});
