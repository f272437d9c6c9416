/** The snippets in snippets/: well-formed, and each body, expanded with its defaults, is valid code. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { checkSpecText, loadSpec } from '../../../src/core/spec';
import { runLocal } from '../../../src/core/local';
import { renderSpec } from '../../../src/core/scaffold/templates';
import { pythonEnv, pythonSyntaxError } from '../scaffold/python';
import { expandSnippet, indented } from './snippet-expand';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

const ROOT = path.resolve(__dirname, '../../../..');
const load = (file: string): Record<string, Snippet> => JSON.parse(readFileSync(path.join(ROOT, 'snippets', file), 'utf8'));
const PYTHON = load('python.json');
const YAML_SNIPPETS = load('yaml.json');
const VARIABLES = { TM_FILENAME_BASE: 'score' };

const python = (name: string): string => expandSnippet(PYTHON[name].body, VARIABLES, '    ');
const yaml = (name: string): string => expandSnippet(YAML_SNIPPETS[name].body, VARIABLES, '  ');

/** A folder with src/score.py, data/ (3 files) and table/ (a CSV with row_id). */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snippets-'));
  for (const sub of ['src', 'data', 'table', 'model']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'src', 'score.py'), 'def run(mini_batch):\n    return mini_batch\n');
  for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, 'data', `f${i}.txt`), `item ${i}`);
  writeFileSync(path.join(dir, 'table', 'rows.csv'), 'row_id,a\n1,2\n2,\n');
  return dir;
}

function check(dir: string, text: string) {
  const file = path.join(dir, 'pipeline.yml');
  writeFileSync(file, text);
  return checkSpecText(text, file);
}

/** A pipeline whose one node is written by `node` (indented under jobs:), with data, table and results. */
function pipelineAround(node: string, extraInputs = ''): string {
  return [
    'type: pipeline',
    'settings:',
    '  default_compute: azureml:cpu-cluster',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    '    path: ./data',
    extraInputs,
    'outputs:',
    '  results:',
    '    type: uri_folder',
    'jobs:',
    indented(node, 2),
  ].join('\n');
}

test('every snippet has a prefix, a description and a body of lines', () => {
  for (const [name, snippet] of [...Object.entries(PYTHON), ...Object.entries(YAML_SNIPPETS)]) {
    assert.ok(snippet.prefix.length > 0, name);
    assert.ok(snippet.description.length > 20, name);
    assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, name);
  }
  assert.deepEqual(Object.keys(PYTHON).length, 4);
  assert.deepEqual(Object.keys(YAML_SNIPPETS).length, 5);
});

for (const name of Object.keys(PYTHON)) {
  test(`python snippet "${name}" expands to valid Python`, () => {
    assert.equal(pythonSyntaxError(python(name)), undefined, python(name));
  });
}

test('the files and tabular entry-script snippets run on real workers with one keyed row per item', async () => {
  for (const [name, kind, input] of [
    ['Parallel entry script (files)', 'files', './data'],
    ['Parallel entry script (tabular)', 'tabular', './table'],
  ] as const) {
    const dir = workspace();
    writeFileSync(path.join(dir, 'src', 'score.py'), python(name));
    const spec = path.join(dir, 'pipeline.yml');
    const miniBatchSize = kind === 'files' ? 2 : '1kb';
    writeFileSync(
      spec,
      renderSpec({
        nodeName: 'score',
        entryScript: 'score.py',
        code: './src',
        inputKind: kind,
        inputPath: input,
        modelPath: './model',
        miniBatchSize,
        processes: 1,
        nodes: 1,
        appendRowFileName: 'out.txt',
      }),
    );
    const job = (await loadSpec(spec)).parallelNodes[0];
    const summary = await runLocal(job, { runDir: path.join(dir, 'run'), env: pythonEnv() });
    assert.equal(summary.status, 'Completed', `${name}: ${JSON.stringify(summary.failures)}`);
    const lines = readFileSync(summary.outputFile!, 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, kind === 'files' ? ['f0.txt: 6', 'f1.txt: 6', 'f2.txt: 6'] : ['1 2', '2 1']);
  }
});

test('the pipeline snippet is a spec without findings', () => {
  const text = yaml('Parallel pipeline');
  assert.ok(text.startsWith('$schema: '), 'the $ of $schema is escaped');
  assert.deepEqual(check(workspace(), text).diagnostics, []);
});

test('the node snippet, under jobs:, makes a spec without findings', () => {
  const result = check(workspace(), pipelineAround(yaml('Parallel node')));
  assert.deepEqual(result.diagnostics, []);
  const job = result.spec!.parallelNodes[0];
  assert.equal(job.nodeName, 'batch_score');
  assert.equal(job.miniBatchSize, 10);
  assert.equal(job.driver.appendRowFileName, 'results.txt');
});

test('the MLTable input snippet, under inputs:, feeds a tabular node', () => {
  const node = yaml('Parallel node')
    .replace('${{parent.inputs.data}}', '${{parent.inputs.table}}')
    .replace('mini_batch_size: "10"', 'mini_batch_size: "1mb"');
  const result = check(workspace(), pipelineAround(node, indented(yaml('MLTable input').replace('./data/table', './table'), 2)));
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.spec!.parallelNodes[0].inputData.kind, 'tabular');
});

test('the retry_settings and program_arguments snippets set what they say', () => {
  const node = yaml('Parallel node')
    .replace(/ {2}retry_settings:\n.*\n.*\n/, indented(yaml('retry_settings'), 2) + '\n')
    .replace(/ {4}program_arguments: >-\n.*\n/, indented(yaml('program_arguments with driver options'), 4) + '\n');
  const result = check(workspace(), pipelineAround(node));
  assert.deepEqual(result.diagnostics, []);
  const job = result.spec!.parallelNodes[0];
  assert.deepEqual(job.retrySettings, { maxRetries: 2, timeout: 60 });
  assert.deepEqual(
    {
      file: job.driver.appendRowFileName,
      percent: job.driver.allowedFailedPercent,
      overhead: job.driver.taskOverheadTimeout,
      progress: job.driver.progressUpdateTimeout,
      first: job.driver.firstTaskCreationTimeout,
    },
    { file: 'results.txt', percent: 100, overhead: 30, progress: -1, first: 600 },
  );
  assert.deepEqual(job.userArguments, []);
});

test('every YAML snippet on its own is valid YAML', () => {
  for (const name of Object.keys(YAML_SNIPPETS)) {
    const doc = YAML.parseDocument(yaml(name));
    assert.deepEqual(doc.errors, [], name);
  }
});
