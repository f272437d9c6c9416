import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { checkSpecText, type Diagnostic, type SpecCheck } from '../../../src/core/spec';
import { writeTree, yaml } from './fixture';

interface Shape {
  nodeName?: string;
  /** Lines of the node (4-space indent) from line 16 on, before its task. */
  node?: string[];
  /** Lines of the task (6-space indent), after `entry_script: score.py`. */
  task?: string[];
  dataPath?: string;
  entryScript?: string;
}

/**
 * A pipeline whose first 15 lines never change:
 *   5: `    path: ./data`, 9: the node name, 15: `    input_data: ${{inputs.data}}`.
 * Node lines start at 16; then `    task:`, `      entry_script: …`, then task lines.
 */
function pipeline(shape: Shape = {}): string {
  const node = shape.node ?? [];
  return yaml(
    'type: pipeline',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    `    path: ${shape.dataPath ?? './data'}`,
    'outputs:',
    '  scores:',
    'jobs:',
    `  ${shape.nodeName ?? 'score'}:`,
    '    type: parallel',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
    '    outputs:',
    '      out: ${{parent.outputs.scores}}',
    '    input_data: ${{inputs.data}}',
    ...node,
    '    task:',
    `      entry_script: ${shape.entryScript ?? 'score.py'}`,
    ...(shape.task ?? []),
  );
}

function check(text: string, extraFiles: Record<string, string> = {}, options = {}): SpecCheck & { dir: string; file: string } {
  const dir = writeTree({ 'pipeline.yml': text, 'data/a.txt': 'a', 'score.py': '', ...extraFiles });
  const file = path.join(dir, 'pipeline.yml');
  return { ...checkSpecText(text, file, { cpuCount: 2, ...options }), dir, file };
}

/** The one diagnostic of the spec, as [rule, line, column]. */
function single(text: string, extraFiles: Record<string, string> = {}): [string, number, number, Diagnostic] {
  const { diagnostics } = check(text, extraFiles);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 1));
  const d = diagnostics[0];
  return [d.rule, d.location.line, d.location.column, d];
}

test('a valid spec has no diagnostics and gives the spec', () => {
  const result = check(pipeline());
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.spec?.parallelNodes[0].nodeName, 'score');
});

test('every error names the file, a 1-based line and column, a rule, a message and a fix', () => {
  const { diagnostics, file } = check(pipeline({ node: ['    mini_batch_size: many'] }));
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.deepEqual(d.location, { file, line: 16, column: 22, endLine: 16, endColumn: 26 });
  assert.equal(d.severity, 'error');
  assert.equal(d.rule, 'size-string');
  assert.match(d.message, /"many" is not a size/);
  assert.ok(d.fix && d.fix.length > 10);
});

test('unknown key, with the closest known key suggested', () => {
  const [rule, line, column, d] = single(pipeline({ node: ['    mini_batch_sise: 5'] }));
  assert.deepEqual([rule, line, column], ['unknown-key', 16, 5]);
  assert.match(d.message, /Did you mean `mini_batch_size`\?/);
});

test('unknown keys inside task, resources and retry_settings, and at the top of the pipeline', () => {
  const text = pipeline({
    node: ['    resources:', '      instance_cnt: 2', '    retry_settings:', '      timout: 5'],
    task: ['      entry_scrip: x.py'],
  });
  const { diagnostics } = check('experiment_nam: x\n' + text);
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.line, d.location.column, /Did you mean `(\w+)`/.exec(d.message)?.[1]]),
    [
      ['unknown-key', 1, 1, 'experiment_name'],
      ['unknown-key', 18, 7, 'instance_count'],
      ['unknown-key', 20, 7, 'timeout'],
      ['unknown-key', 23, 7, 'entry_script'],
    ],
  );
});

test('bad size string', () => {
  const text = pipeline().replace('type: uri_folder', 'type: mltable').replace('./data', './t.csv');
  const [rule, line, column] = single(
    text.replace('    input_data: ${{inputs.data}}\n', '    input_data: ${{inputs.data}}\n    mini_batch_size: 1mbkb\n'),
    { 't.csv': 'a\n1\n' },
  );
  assert.deepEqual([rule, line, column], ['size-string', 16, 22]);
});

test('mini_batch_size for file inputs must be a positive number of files', () => {
  assert.deepEqual(single(pipeline({ node: ['    mini_batch_size: 10mb'] })).slice(0, 3), ['mini-batch-size', 16, 22]);
  assert.deepEqual(single(pipeline({ node: ['    mini_batch_size: "0"'] })).slice(0, 3), ['mini-batch-size', 16, 22]);
});

test('node names follow azure-ai-ml: lower-case Python identifiers', () => {
  const [rule, line, column, d] = single(pipeline({ nodeName: 'Batch-Score' }));
  assert.deepEqual([rule, line, column], ['step-name', 9, 3]);
  assert.match(d.fix ?? '', /batch_score/);
  for (const ok of ['batch_prediction', 'digit_identification', '_private', 'step2'])
    assert.deepEqual(check(pipeline({ nodeName: ok })).diagnostics, [], ok);
  for (const bad of ['2nd_step', 'batch-score', 'score.v2']) assert.equal(single(pipeline({ nodeName: bad }))[0], 'step-name', bad);
});

test('error thresholds are integers of -1 or more', () => {
  assert.deepEqual(single(pipeline({ node: ['    error_threshold: -2'] })).slice(0, 3), ['threshold-range', 16, 22]);
  assert.deepEqual(single(pipeline({ node: ['    mini_batch_error_threshold: 1.5'] })).slice(0, 3), ['threshold-range', 16, 33]);
});

test('--allowed_failed_percent is a percentage from 0 to 100', () => {
  const [rule, line, column] = single(pipeline({ task: ['      program_arguments: --allowed_failed_percent 120'] }));
  assert.deepEqual([rule, line, column], ['threshold-range', 18, 26]);
});

test('logging_level is WARNING, INFO or DEBUG, in capitals', () => {
  const [rule, line, column, d] = single(pipeline({ node: ['    logging_level: info'] }));
  assert.deepEqual([rule, line, column], ['logging-level', 16, 20]);
  assert.match(d.fix ?? '', /`INFO`/);
});

test('instance_count and max_concurrency_per_instance are at least 1', () => {
  assert.deepEqual(single(pipeline({ node: ['    resources:', '      instance_count: 0'] })).slice(0, 3), ['instance-count', 17, 23]);
  assert.deepEqual(single(pipeline({ node: ['    max_concurrency_per_instance: 0'] })).slice(0, 3), ['max-concurrency', 16, 35]);
});

test('max_retries is 0 or more and timeout more than 0', () => {
  const { diagnostics } = check(pipeline({ node: ['    retry_settings:', '      max_retries: -1', '      timeout: 0'] }));
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.line, d.location.column]),
    [
      ['retry-settings', 17, 20],
      ['retry-settings', 18, 16],
    ],
  );
});

test('a missing entry script is reported where it is named, with a near file suggested', () => {
  const [rule, line, column, d] = single(pipeline({ entryScript: 'scor.py' }));
  assert.deepEqual([rule, line, column], ['entry-script-missing', 17, 21]);
  assert.match(d.message, /Did you mean `score\.py`\?/);
});

test('a missing input path is reported at the path', () => {
  const [rule, line, column, d] = single(pipeline({ dataPath: './nope' }));
  assert.deepEqual([rule, line, column], ['input-path-missing', 5, 11]);
  assert.match(d.fix ?? '', /--set inputs\.data\.path=/);
});

test('a binding to an undefined input points at the binding inside program_arguments', () => {
  const { diagnostics } = check(pipeline({ task: ['      program_arguments: --x ${{inputs.nope}} --y ${{outputs.ot}}'] }));
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.line, d.location.column, d.location.endColumn]),
    [
      ['unknown-binding', 18, 30, 46],
      ['unknown-binding', 18, 51, 66],
    ],
  );
  assert.match(diagnostics[1].message, /Did you mean `out`\?/);
});

test('a binding to an undefined pipeline input', () => {
  const text = pipeline().replace('data: ${{parent.inputs.data}}', 'data: ${{parent.inputs.dta}}');
  const [rule, line, column, d] = single(text);
  assert.deepEqual([rule, line, column], ['unknown-binding', 12, 13]);
  assert.match(d.message, /Did you mean `data`\?/);
});

test('append_row_to must be an ${{outputs.x}} binding of the node', () => {
  assert.deepEqual(single(pipeline({ task: ['      append_row_to: ./results'] })).slice(0, 3), ['append-row-to', 18, 22]);
  assert.deepEqual(single(pipeline({ task: ['      append_row_to: ${{outputs.missing}}'] })).slice(0, 3), ['unknown-binding', 18, 22]);
});

test('input_data missing is reported at the node name', () => {
  const text = pipeline().replace('    input_data: ${{inputs.data}}\n', '');
  assert.deepEqual(single(text).slice(0, 3), ['input-data-missing', 9, 3]);
});

test('a file without a step this product runs says so', () => {
  const text = yaml('type: pipeline', 'jobs:', '  tune:', '    type: sweep');
  const errors = check(text).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => [d.rule, d.location.line, d.location.column]),
    [['no-parallel-node', 2, 1]],
  );
  assert.match(errors[0].message, /nodes: tune/);
  assert.deepEqual(single(yaml('type: command', 'command: echo')).slice(0, 3), ['no-parallel-node', 1, 7]);
});

test('partition_keys must be a list of strings', () => {
  assert.deepEqual(single(pipeline({ node: ['    partition_keys: Store'] })).slice(0, 3), ['partition-keys', 16, 21]);
  assert.deepEqual(single(pipeline({ node: ['    partition_keys: [Store, 3]'] })).slice(0, 3), ['partition-keys', 16, 21]);
});

test("YAML syntax errors carry the parser's position", () => {
  const { diagnostics } = check(yaml('type: pipeline', 'jobs:', '  score:', '    type: parallel', '   bad: [1, 2'));
  assert.ok(diagnostics.length >= 1);
  assert.ok(diagnostics.every((d) => d.rule === 'yaml-syntax'));
  assert.deepEqual([diagnostics[0].location.line, diagnostics[0].location.column], [5, 1]);
  assert.match(diagnostics[0].message, /same column/);
  const duplicate = check(yaml('type: pipeline', 'type: parallel')).diagnostics;
  assert.deepEqual(
    duplicate.map((d) => [d.rule, d.location.line, d.location.column]),
    [['yaml-syntax', 2, 1]],
  );
});

test('cloud input_data is an error for local runs, with the --set that fixes it', () => {
  const [rule, line, column, d] = single(pipeline({ dataPath: 'azureml://datastores/workspaceblobstore/paths/mnist' }));
  assert.deepEqual([rule, line, column], ['remote-input', 15, 17]);
  assert.match(d.fix ?? '', /--set inputs\.data\.path=\.\/sample/);
});

test('a component file the node names must exist; its own errors point into it', () => {
  const text = pipeline().replace('    type: parallel\n', '    type: parallel\n    component: ./missing.yml\n');
  assert.deepEqual(single(text).slice(0, 3), ['component-file', 11, 16]);
  const component = yaml('type: parallel', 'mini_batch_size: 5', 'retry_setting:', '  timeout: 5');
  const { diagnostics, dir } = check(pipeline().replace('    type: parallel\n', '    type: parallel\n    component: ./c.yml\n'), {
    'c.yml': component,
  });
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.file, d.location.line, d.location.column]),
    [['unknown-key', path.join(dir, 'c.yml'), 3, 1]],
  );
});

test('a warning alone still gives the spec', () => {
  const text = pipeline({ node: ['    partition_keys: [a]', '    mini_batch_size: "2"'] }).replace('type: uri_folder', 'type: mltable');
  const result = check(text, {
    'data/MLTable': 'paths:\n  - pattern: ./*.txt\ntransformations:\n  - extract_columns_from_partition_format: "{a}/{f}.txt"\n',
  });
  assert.deepEqual(
    result.diagnostics.map((d) => d.severity),
    ['warning'],
  );
  assert.deepEqual(
    result.spec?.warnings.map((d) => d.rule),
    ['partition-keys-mini-batch-size'],
  );
});

test('several errors are all reported, sorted by position', () => {
  const { diagnostics } = check(pipeline({ node: ['    logging_level: LOUD', '    error_threshold: x'], entryScript: 'nope.py' }));
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.line]),
    [
      ['logging-level', 16],
      ['threshold-range', 17],
      ['entry-script-missing', 19],
    ],
  );
});

test('an unknown pipeline setting is only a warning: az ml passes settings through', () => {
  const text = pipeline().replace('type: pipeline\n', 'type: pipeline\nsettings:\n  force_rerum: true\n');
  const result = check(text);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.severity, d.rule, d.location.line, d.location.column]),
    [['warning', 'unknown-key', 3, 3]],
  );
  assert.match(result.diagnostics[0].message, /Did you mean `force_rerun`\?/);
  assert.ok(result.spec);
});

test('a problem reached from two nodes is reported once', () => {
  const text = yaml(
    'type: pipeline',
    'inputs:',
    '  data: ./missing',
    'jobs:',
    '  a:',
    '    type: parallel',
    '    component: ./c.yml',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
    '  b:',
    '    type: parallel',
    '    component: ./c.yml',
    '    inputs:',
    '      data: ${{parent.inputs.data}}',
  );
  const component = yaml(
    'type: parallel',
    'inputs:',
    '  data:',
    '    type: uri_folder',
    'input_data: ${{inputs.data}}',
    'task:',
    '  entry_script: score.py',
  );
  const { diagnostics } = check(text, { 'c.yml': component });
  assert.deepEqual(
    diagnostics.map((d) => [d.rule, d.location.line, d.location.column]),
    [['input-path-missing', 3, 9]],
  );
});

test('program_arguments is one string, and its quotes must close', () => {
  assert.deepEqual(single(pipeline({ task: ['      program_arguments: [--a, "1"]'] })).slice(0, 3), ['wrong-type', 18, 26]);
  assert.deepEqual(single(pipeline({ task: [`      program_arguments: --name "unclosed`] })).slice(0, 3), ['program-arguments', 18, 26]);
  assert.deepEqual(single(pipeline({ task: ['      program_arguments: --append_row_file_name'] })).slice(0, 3), [
    'driver-argument',
    18,
    26,
  ]);
});

test('optional arguments in $[[…]] are dropped when their input has no value', () => {
  const text = pipeline({
    task: ['      program_arguments: --a 1 $[[--model ${{inputs.model}}]] $[[--data ${{inputs.data}}]]'],
  }).replace(
    '      data: ${{parent.inputs.data}}\n',
    '      data: ${{parent.inputs.data}}\n      model:\n        type: uri_folder\n        optional: true\n',
  );
  const { diagnostics, spec, dir } = check(text);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(spec?.parallelNodes[0].task.programArguments, ['--a', '1', '--data', path.join(dir, 'data')]);
});
