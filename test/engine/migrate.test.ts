/** A new user's path: the tutorial's v1 notebook → `parallel-run migrate` → the v2 spec runs on the digits sample. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'out', 'src', 'cli.js');
const DIGITS = path.join(ROOT, 'samples', 'digits');

function cli(args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: process.env });
}

test("the tutorial notebook, migrated in one command, runs against the digits sample once the report's script change is made", () => {
  assert.ok(existsSync(path.join(DIGITS, 'data', 'images')), 'digits sample data missing: run samples/digits/make_data.py');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrate-run-'));
  copyFileSync(path.join(ROOT, 'test', 'fixtures', 'migrate', 'tutorial-2020.ipynb'), path.join(dir, 'tutorial.ipynb'));

  const migrated = cli(['migrate', 'tutorial.ipynb', '--out', 'v2'], dir);
  assert.equal(migrated.status, 0, migrated.stderr);
  assert.equal(migrated.stderr, '', 'the migrated spec has diagnostics');
  assert.match(migrated.stdout, /wrote v2\/pipeline\.yml/);
  const report = readFileSync(path.join(dir, 'v2', 'pipeline.migration.md'), 'utf8');
  assert.match(report, /Read the model folder from the `--model` argument/);

  // The report's one entry-script change (Model.get_model_path → --model), as the digits sample's script makes it.
  copyFileSync(path.join(DIGITS, 'src', 'digit_identification.py'), path.join(dir, 'v2', 'src', 'digit_identification.py'));
  const run = cli(
    [
      'run',
      'v2/pipeline.yml',
      '--out',
      'run',
      '--set',
      `inputs.mnist_param.path=${path.join(DIGITS, 'data', 'images')}`,
      '--set',
      `inputs.mnist_model.path=${path.join(DIGITS, 'model')}`,
    ],
    dir,
  );
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  // batch_size_param 5 over 100 images; every image named once in the tutorial's mnist_outputs.txt.
  assert.match(run.stdout, /20 mini-batch\(es\)/);
  const lines = readFileSync(path.join(dir, 'run', 'outputs', 'inferences', 'mnist_outputs.txt'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, 100);
  assert.equal(new Set(lines.map((l) => l.split(/[ ,:]/)[0])).size, 100);
});

test('a v1 step with partition_keys over a partitioned FileDataset, migrated, runs one mini-batch per key combination', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrate-keys-'));
  const files: Record<string, string> = {
    'sales/north/brandA/1.csv': 'q\n1\n',
    'sales/north/brandA/2.csv': 'q\n2\n',
    'sales/south/brandB/3.csv': 'q\n3\n',
    'src/score.py': [
      'def run(mini_batch, mini_batch_context):',
      '    key = mini_batch_context.partition_key_value',
      "    return [f\"{key['Store']}/{key['Brand']}: {len(mini_batch)}\"]",
      '',
    ].join('\n'),
    'v1.py': [
      'files = Dataset.File.from_files(path="sales/", partition_format="{Store}/{Brand}/{file}.csv")',
      'config = ParallelRunConfig(source_directory="src", entry_script="score.py", partition_keys=["Store", "Brand"],',
      '                           output_action="append_row", append_row_file_name="counts.txt",',
      '                           environment=Environment.get(ws, "env"), compute_target="cpu", process_count_per_node=1)',
      'step = ParallelRunStep(name="count-by-store", parallel_run_config=config, inputs=[files.as_named_input("sales")],',
      '                       output=PipelineData(name="counts", datastore=store))',
      '',
    ].join('\n'),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const migrated = cli(['migrate', 'v1.py', '--out', 'v2'], dir);
  assert.equal(migrated.status, 0, migrated.stderr);
  const run = cli(['run', 'v2/pipeline.yml', '--out', 'run'], dir);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const lines = readFileSync(path.join(dir, 'run', 'outputs', 'counts', 'counts.txt'), 'utf8')
    .trim()
    .split('\n')
    .sort();
  assert.deepEqual(lines, ['north/brandA: 2', 'south/brandB: 1']);
});
