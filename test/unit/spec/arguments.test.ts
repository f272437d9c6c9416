import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindOutputs, parseDriverArguments, splitArguments } from '../../../src/core/spec';

test('splits on blanks and honours single quotes, double quotes and backslashes like a shell', () => {
  assert.deepEqual(splitArguments('--a 1   --b\t2\n--c 3'), ['--a', '1', '--b', '2', '--c', '3']);
  assert.deepEqual(splitArguments(`--name "my model" --tag 'it''s' --raw a\\ b`), ['--name', 'my model', '--tag', 'its', '--raw', 'a b']);
  assert.deepEqual(splitArguments('--q "say \\"hi\\"" --s \'$HOME\''), ['--q', 'say "hi"', '--s', '$HOME']);
  assert.deepEqual(splitArguments('--empty "" --x=1'), ['--empty', '', '--x=1']);
  assert.deepEqual(splitArguments(''), []);
});

test('driver options come out in both --x v and --x=v forms; the rest stays in order', () => {
  const { driver, userArguments } = parseDriverArguments([
    '--model',
    '/m',
    '--append_row_file_name',
    'Results.TXT',
    '--allowed_failed_percent=25',
    '--task_overhead_timeout',
    '45',
    '--k',
    '3',
    '--progress_update_timeout=900',
    '--first_task_creation_timeout',
    '120',
    '--append_row_dataframe_header',
    'True',
    '--resource_monitor_interval',
    '10',
    '--unknown_flag',
  ]);
  assert.equal(driver.appendRowFileName, 'results.txt');
  assert.equal(driver.allowedFailedPercent, 25);
  assert.equal(driver.taskOverheadTimeout, 45);
  assert.equal(driver.progressUpdateTimeout, 900);
  assert.equal(driver.firstTaskCreationTimeout, 120);
  assert.equal(driver.appendRowDataframeHeader, true);
  assert.deepEqual(driver.other, { resource_monitor_interval: '10' });
  assert.deepEqual(userArguments, ['--model', '/m', '--k', '3', '--unknown_flag']);
});

test('driver defaults when program_arguments name none of its options', () => {
  const { driver, userArguments } = parseDriverArguments(['--x', '1']);
  assert.deepEqual(driver, {
    appendRowFileName: 'parallel_run_step.txt',
    allowedFailedPercent: 100,
    taskOverheadTimeout: 30,
    progressUpdateTimeout: -1,
    firstTaskCreationTimeout: 600,
    appendRowDataframeHeader: false,
    other: {},
  });
  assert.deepEqual(userArguments, ['--x', '1']);
});

test('abbreviations are not driver options (allow_abbrev=False), so they reach the entry script', () => {
  const { driver, userArguments } = parseDriverArguments(['--append_row', 'x.txt', '--allowed_failed', '5']);
  assert.equal(driver.appendRowFileName, 'parallel_run_step.txt');
  assert.deepEqual(userArguments, ['--append_row', 'x.txt', '--allowed_failed', '5']);
});

test('v1 thresholds passed as arguments are read, negative numbers included', () => {
  const { driver, userArguments } = parseDriverArguments(['--error_threshold', '-1', '--allowed_failed_count', '4']);
  assert.equal(driver.errorThreshold, -1);
  assert.equal(driver.miniBatchErrorThreshold, 4);
  assert.deepEqual(userArguments, []);
});

test('a driver option without its value, or with a value of the wrong type, is a problem', () => {
  const { problems } = parseDriverArguments(['--append_row_file_name', '--x', '--task_overhead_timeout', 'soon']);
  assert.deepEqual(
    problems.map((p) => p.option),
    ['--append_row_file_name', '--task_overhead_timeout'],
  );
  assert.match(problems[1].message, /expects an integer, got "soon"/);
});

test('everything after -- belongs to the entry script', () => {
  const { driver, userArguments } = parseDriverArguments(['--', '--append_row_file_name', 'a.txt']);
  assert.equal(driver.appendRowFileName, 'parallel_run_step.txt');
  assert.deepEqual(userArguments, ['--', '--append_row_file_name', 'a.txt']);
});

test('bindOutputs puts output folders where ${{outputs.x}} was, leaving unknown outputs as written', () => {
  const args = ['--out', '${{outputs.scores}}', '--log=${{ outputs.logs }}/x', '${{outputs.other}}', '${{inputs.a}}'];
  assert.deepEqual(bindOutputs(args, { scores: '/run/scores', logs: '/run/$logs' }), [
    '--out',
    '/run/scores',
    '--log=/run/$logs/x',
    '${{outputs.other}}',
    '${{inputs.a}}',
  ]);
});
