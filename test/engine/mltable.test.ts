/**
 * MLTable inputs end to end, read from a real pipeline YAML and run by real Python workers: tables of files,
 * partition formats and partition_keys by name, read options and transformations, skip/take over the whole
 * table. Every input item must land once: in the output, the failure report or not-processed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSpec } from '../../src/core/spec';
import type { ParallelJob } from '../../src/core/spec/types';
import { assertAccounting, keysOf, run } from './helpers';

/** A folder holding `files`; returns its path. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-mltable-'));
  for (const [rel, text] of Object.entries(files)) {
    const f = path.join(dir, rel);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  return dir;
}

/** A one-node pipeline over the mltable folder ./table, with `node` lines under the parallel node. */
function pipeline(node: string[] = []): string {
  return [
    'type: pipeline',
    'jobs:',
    '  score:',
    '    type: parallel',
    '    inputs:',
    '      table:',
    '        type: mltable',
    '        path: ./table',
    '    outputs:',
    '      results:',
    '        type: uri_folder',
    '    input_data: ${{inputs.table}}',
    '    max_concurrency_per_instance: 2',
    '    error_threshold: -1',
    ...node,
    '    task:',
    '      type: run_function',
    '      code: ./src',
    '      entry_script: score.py',
    '      append_row_to: ${{outputs.results}}',
    '',
  ].join('\n');
}

async function jobOf(dir: string): Promise<ParallelJob> {
  const spec = await loadSpec(path.join(dir, 'pipeline.yml'), { cpuCount: 2 });
  return spec.parallelNodes[0];
}

/** The MLTable that azureml-examples' partition_data.py writes (yaml.dump: keys sorted, block style). */
const OJ_MLTABLE = `paths:
- pattern: ./**/*.csv
transformations:
- read_delimited:
    delimiter: ','
    empty_as_string: false
    encoding: ascii
    header: all_files_same_headers
    include_path_column: true
- extract_columns_from_partition_format:
    partition_format: '{Store}/{Brand}/{file_name}.{extension}'
- drop_columns:
  - Path
  - file_name
  - extension
type: mltable
`;

test('partitioned sales written as the oj sample does: partition_keys by name, path columns dropped, every row once', async () => {
  const groups = [
    ['1000', 'dominicks', 3],
    ['1000', 'tropicana', 2],
    ['1001', 'dominicks', 4],
  ] as const;
  const files: Record<string, string> = { 'table/MLTable': OJ_MLTABLE };
  let id = 0;
  for (const [store, brand, n] of groups) {
    const rows = Array.from({ length: n }, () => `${id++},1990-06-${String(10 + id).padStart(2, '0')},${id * 10},,2.5`);
    files[`table/${store}/${brand}/partitioned_data.csv`] = 'id,WeekStarting,Quantity,Advert,Price\n' + rows.join('\n') + '\n';
  }
  files['pipeline.yml'] = pipeline(['    partition_keys:', '      - Store', '      - Brand']);
  files['src/score.py'] = [
    'def run(mini_batch, mini_batch_context):',
    '    key = mini_batch_context.partition_key_value',
    '    assert list(mini_batch.columns) == ["id", "WeekStarting", "Quantity", "Advert", "Price", "Store", "Brand"], list(mini_batch.columns)',
    '    assert set(mini_batch["Store"]) == {key["Store"]} and set(mini_batch["Brand"]) == {key["Brand"]}, key',
    '    assert mini_batch["Advert"].isna().all()  # empty_as_string: false',
    '    assert str(mini_batch["WeekStarting"].dtype) == "datetime64[ns]", mini_batch.dtypes  # infer_column_types',
    '    return ["%s: %s/%s" % (i, key["Store"], key["Brand"]) for i in mini_batch["id"]]',
    '',
  ].join('\n');
  const dir = tree(files);
  const job = await jobOf(dir);
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.equal(summary.counts.miniBatches.total, 3);
  assert.deepEqual(
    summary.miniBatches.map((m) => m.partitionKeyValue),
    groups.map(([Store, Brand]) => ({ Store, Brand })),
  );
  assert.deepEqual(lines.sort(), [
    '0: 1000/dominicks',
    '1: 1000/dominicks',
    '2: 1000/dominicks',
    '3: 1000/tropicana',
    '4: 1000/tropicana',
    '5: 1001/dominicks',
    '6: 1001/dominicks',
    '7: 1001/dominicks',
    '8: 1001/dominicks',
  ]);
});

test('an MLTable of paths alone gives run() file paths; mini_batch_size counts files', async () => {
  const names = ['0.png', '1.png', '2.png', '3.png', '4.png', '5.png', '6.png'];
  const files: Record<string, string> = { 'table/MLTable': 'paths:\n  - folder: ./mnist\n' };
  for (const n of names) files[`table/mnist/${n}`] = `image ${n}`;
  files['pipeline.yml'] = pipeline(['    mini_batch_size: "3"']);
  files['src/score.py'] =
    'import os\n\ndef run(mini_batch):\n    return ["%s: %d" % (os.path.basename(p), len(open(p).read())) for p in mini_batch]\n';
  const dir = tree(files);
  const job = await jobOf(dir);
  assert.equal(job.inputData.kind, 'files');
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.equal(summary.counts.miniBatches.total, 3);
  assertAccounting(
    summary,
    names.map((n) => path.join(dir, 'table/mnist', n)),
    keysOf(lines),
  );
});

test('a table of files with a partition format: one mini-batch per key value, named in partition_key_value', async () => {
  const files: Record<string, string> = {
    'table/MLTable':
      'paths:\n  - pattern: ./**/*.png\ntransformations:\n  - extract_columns_from_partition_format: "{Shop}/{day}/{file_name}.png"\n',
    'table/north/mon/a.png': 'a',
    'table/north/tue/b.png': 'b',
    'table/south/mon/c.png': 'c',
    'table/north/mon/d.png': 'd',
  };
  files['pipeline.yml'] = pipeline(['    partition_keys: [Shop]']);
  files['src/score.py'] =
    'import os\n\ndef run(mini_batch, ctx):\n    return ["%s: %s" % (os.path.basename(p), ctx.partition_key_value["Shop"]) for p in mini_batch]\n';
  const dir = tree(files);
  const { summary, lines } = await run(await jobOf(dir));
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.deepEqual(
    summary.miniBatches.map((m) => m.partitionKeyValue),
    [{ Shop: 'north' }, { Shop: 'south' }],
  );
  assert.deepEqual(lines.sort(), ['a.png: north', 'b.png: north', 'c.png: south', 'd.png: north']);
});

/** Two CSVs of ids 0..9 and 10..19, behind an MLTable whose transformations end with `steps`. */
function twentyRows(steps: string[], node: string[], script: string): string {
  const csv = (from: number): string =>
    'id,name,flag\n' + Array.from({ length: 10 }, (_, i) => `${from + i},n${from + i},${(from + i) % 2 ? 'yes' : 'no'}`).join('\n') + '\n';
  return tree({
    'table/MLTable': [
      'paths:',
      '  - pattern: ./*.csv',
      'transformations:',
      '  - read_delimited:',
      '      include_path_column: true',
      ...steps,
      '',
    ].join('\n'),
    'table/a.csv': csv(0),
    'table/b.csv': csv(10),
    'pipeline.yml': pipeline(node),
    'src/score.py': script,
  });
}

const IDS = 'def run(mini_batch):\n    return ["%d: %s" % (i, ",".join(mini_batch.columns)) for i in mini_batch["id"]]\n';

test('skip then take keep rows by their position in the whole table, across files and small mini-batches', async () => {
  const dir = twentyRows(['  - drop_columns: [name]', '  - skip: 5', '  - take: 10'], ['    mini_batch_size: "40"'], IDS);
  const { summary, lines } = await run(await jobOf(dir));
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.ok(summary.counts.miniBatches.total > 2, `${summary.counts.miniBatches.total} mini-batches`);
  assert.deepEqual(
    lines.map((l) => Number(l.split(':')[0])).sort((a, b) => a - b),
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  );
  assert.ok(
    lines.every((l) => l.endsWith(': Path,id,flag')),
    lines.join('\n'),
  );
  assert.equal(summary.counts.items.succeeded, 10);
});

test('take alone ends the byte ranges after record N; conversions and keep_columns reach run()', async () => {
  const script = [
    'def run(mini_batch):',
    '    assert list(mini_batch.columns) == ["flag", "id"], list(mini_batch.columns)',
    '    assert str(mini_batch["id"].dtype) == "float64", mini_batch.dtypes',
    '    return ["%d: %s" % (i, f) for i, f in zip(mini_batch["id"], mini_batch["flag"])]',
    '',
  ].join('\n');
  const steps = [
    '  - take: 13',
    '  - keep_columns: [flag, id]',
    '  - convert_column_types:',
    '      - columns: id',
    '        column_type: float',
    '      - columns: flag',
    '        column_type:',
    '          boolean:',
    '            true_values: ["yes"]',
    '            false_values: ["no"]',
  ];
  const dir = twentyRows(steps, ['    mini_batch_size: "50"'], script);
  const job = await jobOf(dir);
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.ok(
    summary.miniBatches.every((m) => m.data.kind === 'range'),
    'take alone keeps byte ranges',
  );
  assert.deepEqual(
    lines.sort((a, b) => parseInt(a) - parseInt(b)),
    Array.from({ length: 13 }, (_, i) => `${i}: ${i % 2 ? 'True' : 'False'}`),
  );
});

test('read options reach run(): JSON lines that drop invalid lines, latin1 text, different headers combined by name', async () => {
  const dir = tree({
    'table/MLTable':
      'paths:\n  - pattern: ./*.jsonl\ntransformations:\n  - read_json_lines:\n      invalid_lines: drop\n      include_path_column: true\n',
    'table/a.jsonl': '{"id": 1, "name": "x"}\n{"id": 2, "name": \n{"id": 3, "name": "z"}\n',
    'other/MLTable':
      'paths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited:\n      encoding: latin1\n      header: all_files_different_headers\n',
    'other/a.csv': 'id,name\n10,Jos\xe9\n',
    'other/b.csv': 'id,city\n11,Ume\xe5\n',
    'pipeline.yml': pipeline(),
    'src/score.py': [
      'def run(mini_batch):',
      '    cols = ",".join(c for c in mini_batch.columns if c != "Path")',
      '    return ["%d: %s %s" % (r["id"], cols, "|".join(str(v) for k, v in r.items() if k not in ("id", "Path"))) for _, r in mini_batch.iterrows()]',
      '',
    ].join('\n'),
  });
  writeFileSync(path.join(dir, 'other/a.csv'), Buffer.from('id,name\n10,Jos\xe9\n', 'latin1'));
  writeFileSync(path.join(dir, 'other/b.csv'), Buffer.from('id,city\n11,Ume\xe5\n', 'latin1'));
  const json = await run(await jobOf(dir));
  assert.equal(json.summary.status, 'Completed', JSON.stringify(json.summary.failures));
  assert.deepEqual(json.lines.sort(), ['1: id,name x', '3: id,name z']);
  writeFileSync(path.join(dir, 'pipeline.yml'), pipeline().replace('path: ./table', 'path: ./other'));
  const csv = await run(await jobOf(dir), { runDir: path.join(dir, 'run2') });
  assert.equal(csv.summary.status, 'Completed', JSON.stringify(csv.summary.failures));
  assert.deepEqual(csv.lines.sort(), ['10: id,name,city Jos\u00e9|nan', '11: id,name,city nan|Ume\u00e5']);
});

test('a quoted line break under support_multi_line: false fails its mini-batch with the fix', async () => {
  const dir = tree({
    'table/MLTable': 'paths:\n  - file: ./a.csv\ntransformations:\n  - read_delimited: {}\n',
    'table/a.csv': 'id,text\n1,"two\nlines"\n',
    'pipeline.yml': pipeline(),
    'src/score.py': 'def run(mini_batch):\n    return ["%d: ok" % i for i in mini_batch["id"]]\n',
  });
  const { summary } = await run(await jobOf(dir));
  const failure = summary.failures.find((f) => f.final);
  assert.ok(failure, JSON.stringify(summary));
  assert.match(failure.error.message, /support_multi_line: true/);
  assert.equal(summary.counts.items.succeeded, 0);
});

const interpreter = process.env.PARALLEL_RUN_PYTHON || 'python3';
const hasPyarrow =
  spawnSync(interpreter, ['-c', 'import pyarrow, pandas'], {
    env: { ...process.env, PYENV_VERSION: process.env.PYENV_VERSION || 'system' },
  }).status === 0;

test(
  'read_parquet: run() gets the rows of whole row groups, with the path column and the steps applied',
  { skip: hasPyarrow ? false : `${interpreter} has no pyarrow: read_parquet is refused there, as the Python tests check` },
  async () => {
    const dir = tree({
      'table/MLTable':
        'paths:\n  - pattern: ./*.parquet\ntransformations:\n  - read_parquet:\n      include_path_column: true\n  - skip: 2\n',
      'pipeline.yml': pipeline(['    mini_batch_size: "1"']),
      'src/score.py':
        'import os\n\ndef run(mini_batch):\n    return ["%d: %s" % (i, os.path.basename(p)) for i, p in zip(mini_batch["id"], mini_batch["Path"])]\n',
    });
    const made = spawnSync(
      interpreter,
      [
        '-c',
        [
          'import pyarrow as pa, pyarrow.parquet as pq, sys',
          'pq.write_table(pa.table({"id": list(range(7))}), sys.argv[1], row_group_size=3)',
        ].join('\n'),
        path.join(dir, 'table/t.parquet'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    const { summary, lines } = await run(await jobOf(dir));
    assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
    assert.deepEqual(
      summary.miniBatches.map((m) => m.items),
      [1, 3, 1],
      'row groups [0-3) [3-6) [6-7), rows 0-1 skipped',
    );
    assert.deepEqual(lines.sort(), ['2: t.parquet', '3: t.parquet', '4: t.parquet', '5: t.parquet', '6: t.parquet']);
  },
);
