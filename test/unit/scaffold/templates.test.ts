/** The scaffold's entry script and spec: valid Python, a clean spec, and the contract on real workers. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { checkSpecText, loadSpec } from '../../../src/core/spec';
import { runLocal } from '../../../src/core/local';
import {
  renderEntryScript,
  renderSpec,
  nodeNameFor,
  entryScriptNameProblem,
  miniBatchSizeProblem,
  type SpecOptions,
} from '../../../src/core/scaffold/templates';
import { yamlString } from '../../../src/core/scaffold/templates/names';
import { pythonEnv, pythonSyntaxError } from './python';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
}

function filesOptions(over: Partial<SpecOptions> = {}): SpecOptions {
  return {
    nodeName: 'score',
    entryScript: 'score.py',
    inputKind: 'files',
    inputPath: './data',
    miniBatchSize: 2,
    processes: 2,
    nodes: 1,
    appendRowFileName: 'results.txt',
    ...over,
  };
}

/** Writes `score.py` + `score.yml` the way the command does, with `count` small files in data/. */
function scaffoldFiles(count: number, modelArg = false, over: Partial<SpecOptions> = {}): { dir: string; spec: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'data'));
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, 'data', `img${i}.bin`), 'x'.repeat(i + 1));
  writeFileSync(path.join(dir, 'score.py'), renderEntryScript({ kind: 'files', name: 'score', modelArg }));
  const spec = path.join(dir, 'score.yml');
  writeFileSync(spec, renderSpec(filesOptions(over)));
  return { dir, spec };
}

function scaffoldTable(csv: string, over: Partial<SpecOptions> = {}): { dir: string; spec: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'table'));
  writeFileSync(path.join(dir, 'table', 'part1.csv'), csv);
  writeFileSync(path.join(dir, 'score.py'), renderEntryScript({ kind: 'tabular', name: 'score' }));
  const spec = path.join(dir, 'score.yml');
  writeFileSync(spec, renderSpec(filesOptions({ inputKind: 'tabular', inputPath: './table', miniBatchSize: '1kb', ...over })));
  return { dir, spec };
}

async function runSpec(spec: string) {
  const job = (await loadSpec(spec, { cpuCount: 2 })).parallelNodes[0];
  const summary = await runLocal(job, { runDir: path.join(path.dirname(spec), 'run'), env: pythonEnv() });
  const lines = summary.outputFile
    ? readFileSync(summary.outputFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
  return { job, summary, lines };
}

for (const kind of ['files', 'tabular'] as const) {
  for (const modelArg of [false, true]) {
    test(`the ${kind} entry script ${modelArg ? 'with' : 'without'} --model is valid Python`, () => {
      assert.equal(pythonSyntaxError(renderEntryScript({ kind, name: 'batch_score', modelArg })), undefined);
    });
  }
}

test('the entry script states the contract: parse_known_args, EntryScript logger, a key, never None', () => {
  for (const kind of ['files', 'tabular'] as const) {
    const script = renderEntryScript({ kind, name: 'score', modelArg: true });
    for (const part of [
      'def init():',
      'def run(mini_batch):',
      'def shutdown():',
      'parse_known_args()',
      'EntryScript().logger',
      'global g_args, g_model',
      'Never None',
    ]) {
      assert.ok(script.includes(part), `${kind} script lacks ${part}`);
    }
    assert.match(script, /key/i);
  }
});

test('refuses a script name Python cannot import', () => {
  assert.match(entryScriptNameProblem('my-script') ?? '', /not a Python module name/);
  assert.match(entryScriptNameProblem('class') ?? '', /keyword/);
  assert.equal(entryScriptNameProblem('Batch_Score2'), undefined);
  assert.throws(() => renderEntryScript({ kind: 'files', name: '2fast' }), /not a Python module name/);
  assert.equal(nodeNameFor('Batch_Score2'), 'batch_score2');
});

test('checks mini_batch_size by input kind: a count of files, a size of rows', () => {
  assert.equal(miniBatchSizeProblem('files', '10'), undefined);
  assert.match(miniBatchSizeProblem('files', '1mb') ?? '', /number of files/);
  assert.match(miniBatchSizeProblem('files', '0') ?? '', /from 1/);
  assert.equal(miniBatchSizeProblem('tabular', '100kb'), undefined);
  assert.equal(miniBatchSizeProblem('tabular', '4096'), undefined);
  assert.match(miniBatchSizeProblem('tabular', '1 mb') ?? '', /size in bytes/);
  assert.throws(() => renderSpec(filesOptions({ miniBatchSize: 'ten' })), /number of files/);
  assert.throws(() => renderSpec(filesOptions({ appendRowFileName: 'out/x.txt' })), /plain file name/);
  assert.throws(() => renderSpec(filesOptions({ processes: 0 })), /processes/);
});

test('the files spec reads without errors and says what the wizard chose', () => {
  const { spec } = scaffoldFiles(3, true, {
    modelPath: './data',
    miniBatchSize: 5,
    processes: 3,
    nodes: 2,
    appendRowFileName: 'Scores.TXT',
  });
  const check = checkSpecText(readFileSync(spec, 'utf8'), spec);
  assert.deepEqual(check.diagnostics, []);
  const job = check.spec!.parallelNodes[0];
  assert.equal(job.nodeName, 'score');
  assert.equal(job.inputData.kind, 'files');
  assert.equal(job.miniBatchSize, 5);
  assert.equal(job.instanceCount, 2);
  assert.equal(job.maxConcurrencyPerInstance, 3);
  assert.equal(job.driver.appendRowFileName, 'scores.txt');
  assert.equal(job.task.appendRowTo, 'results');
  assert.deepEqual(job.userArguments, ['--model', path.join(path.dirname(spec), 'data')]);
});

test('the tabular spec reads without errors as an mltable input of about 1kb mini-batches', () => {
  const { spec } = scaffoldTable('row_id,a\n1,2\n');
  const check = checkSpecText(readFileSync(spec, 'utf8'), spec);
  assert.deepEqual(check.diagnostics, []);
  const job = check.spec!.parallelNodes[0];
  assert.equal(job.inputData.kind, 'tabular');
  assert.equal(job.miniBatchSize, 1024);
});

test('the spec quotes paths YAML would misread, and still reads them back', () => {
  for (const odd of [
    'my data',
    'data #1',
    'true',
    'yes',
    'on',
    '1:30',
    '.5',
    'x:',
    '~',
    'C:\\data',
    '@raw',
    'a: b',
    "it's",
    '-x',
    '"q"',
    'dé jà',
  ]) {
    assert.equal(YAML.parse(`path: ${yamlString(odd)}`).path, odd, odd);
  }
  for (const plain of ['./data', '../shared/data', 'azureml:cpu-cluster', 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest', '.']) {
    assert.equal(yamlString(plain), plain);
  }
  const dir = tempDir();
  mkdirSync(path.join(dir, 'my data #1'));
  writeFileSync(path.join(dir, 'my data #1', 'a.txt'), 'a');
  writeFileSync(path.join(dir, 'score.py'), renderEntryScript({ kind: 'files', name: 'score' }));
  const spec = path.join(dir, 'score.yml');
  writeFileSync(spec, renderSpec(filesOptions({ inputPath: './my data #1' })));
  assert.deepEqual(checkSpecText(readFileSync(spec, 'utf8'), spec).diagnostics, []);
});

test('an input folder that does not exist yet is the only error', () => {
  const { spec } = scaffoldFiles(0, false, { inputPath: './later' });
  const rules = checkSpecText(readFileSync(spec, 'utf8'), spec).diagnostics.map((d) => d.rule);
  assert.deepEqual(rules, ['input-path-missing']);
});

test('the files script runs on real workers and writes one row per file, keyed by the file name', async () => {
  const { summary, lines } = await runSpec(scaffoldFiles(5).spec);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.equal(summary.counts.items.succeeded, 5);
  assert.equal(path.basename(summary.outputFile!), 'results.txt');
  assert.deepEqual(lines.sort(), ['img0.bin: 1', 'img1.bin: 2', 'img2.bin: 3', 'img3.bin: 4', 'img4.bin: 5']);
});

test('the --model script loads its model once per worker and logs it through EntryScript', async () => {
  const { dir, spec } = scaffoldFiles(4, true, { modelPath: './model' });
  mkdirSync(path.join(dir, 'model'));
  const { summary, lines } = await runSpec(spec);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.equal(lines.length, 4);
  const log = readFileSync(path.join(summary.logsDir, 'user/entry_script_log/node0/process000.log.txt'), 'utf8');
  assert.equal(log.match(/init: loaded the model from .*model/g)?.length, 1, log);
});

test('the tabular script returns one row per input row, keyed by row_id', async () => {
  const rows = Array.from({ length: 200 }, (_, i) => `${i},${i % 3 === 0 ? '' : i},x`);
  const { summary, lines } = await runSpec(scaffoldTable('row_id,a,b\n' + rows.join('\n') + '\n').spec);
  assert.equal(summary.status, 'Completed', JSON.stringify(summary.failures));
  assert.ok(summary.counts.miniBatches.total > 1);
  assert.equal(summary.counts.items.succeeded, 200);
  const byKey = new Map(lines.map((l) => l.split(' ') as [string, string]));
  assert.equal(byKey.size, 200);
  assert.equal(byKey.get('0'), '2', 'row 0 has an empty column: 2 of 3 values');
  assert.equal(byKey.get('1'), '3');
});

test('a table without the key column fails the mini-batch with the fix in the message', async () => {
  const { summary } = await runSpec(scaffoldTable('id,a\n1,2\n').spec);
  assert.equal(summary.counts.items.failed, 1);
  const failure = summary.failures.find((f) => f.final)!;
  assert.match(failure.error.message, /'row_id' is not in the mini-batch .*--key_column/);
});
