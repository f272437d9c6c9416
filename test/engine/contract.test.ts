/** The entry-script contract on real Python workers: init/run/shutdown, arguments, EntryScript, layout. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertAccounting, fileJob, fixture, keysOf, PROLOGUE, readLog, run } from './helpers';

const SCRIPT = `${PROLOGUE}
import argparse
from azureml_user.parallel_run import EntryScript

def init():
    global ARGS
    ARGS, _ = argparse.ArgumentParser().parse_known_args()
    print("init called pid", os.getpid())
    EntryScript().logger.info("init on %s", EntryScript().agent_name)

def run(mini_batch):
    return [f"{os.path.basename(p)}: {open(p).read().strip()}" for p in mini_batch]

def shutdown():
    print("shutdown called")
`;

test('runs every file once over 2 nodes x 2 processes and writes one row per item', async () => {
  const fx = fixture(SCRIPT, 11);
  const { summary, lines } = await run(fileJob(fx, { instanceCount: 2, maxConcurrencyPerInstance: 2, miniBatchSize: 3 }));
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.counts.miniBatches.total, 4);
  assert.equal(summary.counts.items.succeeded, 11);
  assert.equal(lines.length, 11);
  assert.equal(lines[0], 'f000.txt: item 0', 'rows come out in mini-batch order');
  assertAccounting(summary, fx.files, keysOf(lines));
  assert.equal(path.basename(summary.outputFile!), 'parallel_run_step.txt');
  assert.equal(summary.outputKind, 'list', 'readers of the output learn its lines are str(elem)');
});

test('calls init() once per worker process and shutdown() at the end', async () => {
  const fx = fixture(SCRIPT, 8);
  const { summary } = await run(fileJob(fx, { instanceCount: 2, maxConcurrencyPerInstance: 1, miniBatchSize: 1 }));
  for (const node of ['node0', 'node1']) {
    const stdout = readLog(summary, `user/stdout/${node}/process000.stdout.txt`);
    assert.equal(stdout.match(/init called/g)?.length, 1, `${node} stdout: ${stdout}`);
    assert.equal(stdout.match(/shutdown called/g)?.length, 1);
  }
  const log = readLog(summary, 'user/entry_script_log/node1/process000.log.txt');
  assert.match(log, /init on process000/);
});

test('writes the cloud log layout and a summary.json', async () => {
  const fx = fixture(SCRIPT, 3);
  const { summary } = await run(fileJob(fx));
  for (const rel of [
    'job_result.txt',
    'readme.txt',
    'sys/master_role.txt',
    'sys/job_report/processed_mini-batches.csv',
    'user/stdout/node0/process000.stdout.txt',
  ]) {
    assert.ok(existsSync(path.join(summary.logsDir, rel)), `missing logs/${rel}`);
  }
  assert.match(readLog(summary, 'job_result.txt'), /^Completed/);
  assert.ok(readdirSync(summary.logsDir).some((f) => /^job_progress_overview\.\d{14}\.txt$/.test(f)));
  const csv = readLog(summary, 'sys/job_report/processed_mini-batches.csv').trim().split('\n');
  assert.equal(csv.length, 1 + 2);
  const json = JSON.parse(readFileSync(path.join(summary.runDir, 'summary.json'), 'utf8'));
  assert.equal(json.status, 'Completed');
  assert.equal(json.miniBatches.length, 2);
});

test('gives the script its arguments, the cloud env vars, a working dir per worker and EntryScript attributes', async () => {
  const script = `${PROLOGUE}
import argparse, json
from azureml_user.parallel_run import EntryScript

def run(mini_batch):
    args, unknown = argparse.ArgumentParser().parse_known_args()
    parser = argparse.ArgumentParser()
    parser.add_argument("--model")
    parser.add_argument("--output")
    mine, _ = parser.parse_known_args()
    e = EntryScript()
    return [json.dumps({"key": os.path.basename(p), "model": mine.model, "output": mine.output,
                        "argv": sys.argv[1:], "bi": os.environ.get("AZUREML_BI_OUTPUT_PATH"),
                        "cwd": os.getcwd(), "agent": e.agent_name, "log_dir": e.log_dir,
                        "output_dir": e.output_dir, "working_dir": e.working_dir,
                        "custom": os.environ.get("MY_SETTING")}) for p in mini_batch]
`;
  const fx = fixture(script, 2);
  const args = ['--append_row_file_name', 'out.txt', '--model', '/models/m1', '--output', '${{outputs.results}}'];
  const job = fileJob(fx, { environmentVariables: { MY_SETTING: 'on' }, maxConcurrencyPerInstance: 1 }, args);
  job.driver.appendRowFileName = 'out.txt';
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed');
  const row = JSON.parse(lines[0]);
  const outDir = path.join(summary.runDir, 'outputs', 'results');
  assert.equal(row.model, '/models/m1');
  assert.equal(row.output, outDir, '${{outputs.x}} in program_arguments binds to the output folder');
  // What the driver passes: its own options, then program_arguments, then the input (parse_known_args reads them).
  assert.deepEqual(row.argv, [
    '--scoring_module_name',
    'score.py',
    '--mini_batch_size',
    '2',
    '--error_threshold',
    '-1',
    '--output_action',
    'append_row',
    '--logging_level',
    'INFO',
    '--run_invocation_timeout',
    '60',
    '--run_max_try',
    '3',
    '--allowed_failed_count',
    '-1',
    '--output',
    outDir,
    '--process_count_per_node',
    '1',
    '--append_row_file_name',
    'out.txt',
    '--model',
    '/models/m1',
    '--output',
    outDir,
    '--input_fds_0',
    fx.dataDir,
  ]);
  assert.equal(row.bi, outDir);
  assert.equal(row.output_dir, outDir);
  assert.equal(row.cwd, path.join(summary.runDir, 'wd', 'node0', 'process000'));
  assert.equal(row.working_dir, row.cwd);
  assert.equal(row.agent, 'process000');
  assert.equal(row.log_dir, path.join(summary.logsDir, 'user', 'entry_script_log', 'node0') + (row.log_dir.endsWith('/') ? '/' : ''));
  assert.equal(row.custom, 'on');
  assert.equal(path.basename(summary.outputFile!), 'out.txt');
});

test('hands one GPU to each worker when GPUs exist', async () => {
  const script = `import os, time\ndef run(mb):\n    time.sleep(0.1)\n    return [os.path.basename(p) + ": " + os.environ.get("CUDA_VISIBLE_DEVICES", "none") for p in mb]\n`;
  const fx = fixture(script, 8);
  const { lines } = await run(fileJob(fx, { instanceCount: 1, maxConcurrencyPerInstance: 2, miniBatchSize: 1 }), { gpus: ['0', '1'] });
  const seen = new Set(lines.map((l) => l.split(': ')[1]));
  assert.deepEqual([...seen].sort(), ['0', '1']);
});

test('passes partition keys and the mini-batch index in mini_batch_context', async () => {
  const script = `import os, json\ndef run(mini_batch, mini_batch_context):\n    return [json.dumps({"f": os.path.basename(p), "keys": mini_batch_context.partition_key_value, "i": mini_batch_context.minibatch_index}) for p in mini_batch]\n`;
  const fx = fixture(script, 0, { 'data/A/x/1.txt': '1', 'data/A/y/2.txt': '2', 'data/B/x/3.txt': '3', 'data/B/x/4.txt': '4' });
  // Keys name the columns of an MLTable partition format (a plain folder has none); see test/engine/mltable.test.ts.
  const job = fileJob(fx, { partitionKeys: ['Store', 'Brand'] });
  const files = ['A/x/1.txt', 'A/y/2.txt', 'B/x/3.txt', 'B/x/4.txt'].map((f) => path.join(fx.dataDir, f));
  job.inputData = {
    kind: 'files',
    inputName: 'data',
    type: 'mltable',
    path: fx.dataDir,
    files,
    partitionFormat: '{Store}/{Brand}/{name}.txt',
  };
  const { summary, lines } = await run(job);
  assert.equal(summary.status, 'Completed');
  const rows = lines.map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((r) => [r.f, r.keys, r.i]),
    [
      ['1.txt', { Store: 'A', Brand: 'x' }, 0],
      ['2.txt', { Store: 'A', Brand: 'y' }, 1],
      ['3.txt', { Store: 'B', Brand: 'x' }, 2],
      ['4.txt', { Store: 'B', Brand: 'x' }, 2],
    ],
  );
});

test('runs only the first N mini-batches of a sample, and replays given mini-batches exactly', async () => {
  const fx = fixture(SCRIPT, 10);
  const first = await run(fileJob(fx), { sample: { miniBatches: 2 } });
  assert.deepEqual(keysOf(first.lines), ['f000.txt', 'f001.txt', 'f002.txt', 'f003.txt']);
  const chosen = first.summary.miniBatches
    .filter((m) => m.index === 1)
    .map((m) => ({ index: m.index, data: m.data, bytes: 0, partitionKeyValue: {} }));
  const replay = await run(fileJob(fx), { miniBatches: chosen, runDir: path.join(fx.dir, 'replay') });
  assert.deepEqual(keysOf(replay.lines), ['f002.txt', 'f003.txt']);
});

test('summary_only writes no output file and counts returns toward the results', async () => {
  const fx = fixture(SCRIPT, 4);
  const job = fileJob(fx);
  job.task.appendRowTo = undefined;
  const { summary } = await run(job);
  assert.equal(summary.status, 'Completed');
  assert.equal(summary.outputFile, undefined);
  assert.equal(summary.counts.items.succeeded, 4);
});
