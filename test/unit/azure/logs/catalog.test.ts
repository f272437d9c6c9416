// Which log a path is and where it goes in the list: per node and process the entry script's stdout, stderr,
// logger and error (nodes and processes in number order), then the step's result and driver log, then system logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyLog, compareLogs, sectionTitle } from '../../../../src/core/azure/logs/catalog';
import { findLogFile, stepsNamed } from '../../../../src/core/azure/logs/find';
import { localLogPath } from '../../../../src/core/azure/logs/local-copy';
import type { JobLogFile, JobLogList } from '../../../../src/core/azure/logs/job-logs';

const ordered = (paths: string[]) =>
  paths
    .map((path) => ({ path, ...classifyLog(path) }))
    .sort(compareLogs)
    .map((f) => f.path);

test('per-process logs name their node and process; the label says which process and what', () => {
  assert.deepEqual(classifyLog('logs/user/stdout/node0/process001.stdout.txt'), {
    kind: 'stdout',
    section: 'node',
    node: 'node0',
    process: 'process001',
    label: 'process001 stdout',
  });
  assert.equal(classifyLog('logs/user/stderr/node1/process000.stderr.txt').kind, 'stderr');
  assert.equal(classifyLog('logs/user/entry_script_log/node0/process000.log.txt').label, 'process000 entry script log');
  assert.equal(classifyLog('logs/user/error/node0/process002.txt').label, 'process002 error');
  // The cloud names node folders by address.
  assert.equal(classifyLog('logs/user/stdout/10.0.0.4/process000.stdout.txt').node, '10.0.0.4');
});

test("the step's own files: job_result, job_error, the driver's std_log, progress; everything else is a system log", () => {
  assert.equal(classifyLog('logs/job_result.txt').kind, 'jobResult');
  assert.equal(classifyLog('logs/job_error.txt').kind, 'jobError');
  assert.deepEqual(classifyLog('user_logs/std_log.txt'), { kind: 'driver', section: 'job', label: 'std_log.txt' });
  assert.equal(classifyLog('logs/job_progress_overview.20261201120000.txt').kind, 'progress');
  assert.deepEqual(classifyLog('logs/sys/node/node0/process000.txt'), {
    kind: 'system',
    section: 'system',
    label: 'sys/node/node0/process000.txt',
  });
  assert.equal(classifyLog('logs/azureml/executionlogs.txt').section, 'system');
  assert.equal(classifyLog('system_logs/lifecycler/execution-wrapper.log').section, 'system');
});

test('reading order: node by node, process by process (by number), stdout before stderr, logger and error; then result; then system', () => {
  assert.deepEqual(
    ordered([
      'logs/sys/master_role.txt',
      'logs/user/error/node0/process000.txt',
      'logs/job_error.txt',
      'logs/user/stdout/node10/process000.stdout.txt',
      'user_logs/std_log.txt',
      'logs/user/entry_script_log/node0/process000.log.txt',
      'logs/user/stdout/node2/process000.stdout.txt',
      'logs/user/stdout/node0/process010.stdout.txt',
      'logs/user/stderr/node0/process000.stderr.txt',
      'logs/job_result.txt',
      'logs/user/stdout/node0/process000.stdout.txt',
      'logs/user/stdout/node0/process002.stdout.txt',
    ]),
    [
      'logs/user/stdout/node0/process000.stdout.txt',
      'logs/user/stderr/node0/process000.stderr.txt',
      'logs/user/entry_script_log/node0/process000.log.txt',
      'logs/user/error/node0/process000.txt',
      'logs/user/stdout/node0/process002.stdout.txt',
      'logs/user/stdout/node0/process010.stdout.txt',
      'logs/user/stdout/node2/process000.stdout.txt',
      'logs/user/stdout/node10/process000.stdout.txt',
      'logs/job_result.txt',
      'logs/job_error.txt',
      'user_logs/std_log.txt',
      'logs/sys/master_role.txt',
    ],
  );
});

test('section titles: the step and the node, the step result, the system logs', () => {
  assert.equal(sectionTitle('score', classifyLog('logs/user/stdout/node1/process000.stdout.txt')), 'score · node1');
  assert.equal(sectionTitle('score', classifyLog('logs/job_result.txt')), 'score · result, errors and driver log');
  assert.equal(sectionTitle('score', classifyLog('logs/sys/master_role.txt')), 'score · system logs');
});

const file = (step: string | undefined, path: string): JobLogFile => ({
  ...classifyLog(path),
  runId: step ? `job_${step}` : 'job',
  ...(step ? { step } : {}),
  path,
  contentUri: 'https://acct.blob.core.windows.net/azureml/x?sv=2025&sig=SECRET',
});
const list: JobLogList = {
  job: 'job',
  status: 'Running',
  steps: [
    {
      runId: 'job_prep',
      name: 'prep',
      status: 'Completed',
      files: [file('prep', 'user_logs/std_log.txt'), file('prep', 'logs/job_result.txt')],
    },
    {
      runId: 'job_score',
      name: 'score',
      status: 'Running',
      files: [
        file('score', 'logs/user/stdout/node0/process000.stdout.txt'),
        file('score', 'logs/user/stdout/node1/process000.stdout.txt'),
        file('score', 'logs/job_result.txt'),
      ],
    },
    { runId: 'job', name: 'job', status: 'Running', pipeline: true, files: [file(undefined, 'logs/azureml/executionlogs.txt')] },
  ],
};

test('--file finds a file by its path, its path without logs/, or an ending only it has', () => {
  const path = (m: ReturnType<typeof findLogFile>) => ('file' in m ? m.file.path : m.problem);
  assert.equal(path(findLogFile(list, 'logs/user/stdout/node1/process000.stdout.txt')), 'logs/user/stdout/node1/process000.stdout.txt');
  assert.equal(path(findLogFile(list, 'user/stdout/node0/process000.stdout.txt')), 'logs/user/stdout/node0/process000.stdout.txt');
  assert.equal(path(findLogFile(list, 'node1/process000.stdout.txt')), 'logs/user/stdout/node1/process000.stdout.txt');
  assert.equal(path(findLogFile(list, 'azureml/executionlogs.txt')), 'logs/azureml/executionlogs.txt');
  const inStep = findLogFile(list, 'job_result.txt', 'score');
  assert.ok('file' in inStep && inStep.file.step === 'score' && inStep.file.runId === 'job_score');
});

test('--file that matches several files or none says what to write instead', () => {
  const several = findLogFile(list, 'job_result.txt');
  assert.ok('problem' in several);
  assert.match(several.problem, /in several steps of job job \(prep, score\): add --step, e\.g\. --step prep --file job_result\.txt/);
  const two = findLogFile(list, 'process000.stdout.txt', 'score');
  assert.ok('problem' in two);
  assert.match(two.problem, /names 2 files .*give more of the path, e\.g\. --file logs\/user\/stdout\/node0\/process000\.stdout\.txt/);
  const none = findLogFile(list, 'node0/process007.stdout.txt');
  assert.ok('problem' in none);
  assert.match(none.problem, /^No log file node0\/process007\.stdout\.txt in job job\. List the files with: parallel-run logs job$/);
  const step = findLogFile(list, 'std_log.txt', 'scoring');
  assert.ok('problem' in step);
  assert.equal(step.problem, "Job job has no step scoring. Its steps: prep, score (or job for the pipeline's own logs).");
  assert.equal((stepsNamed(list, 'job_score') as { name: string }[])[0].name, 'score', 'a step by its run id');
  for (const m of [several, two, none, step]) assert.doesNotMatch(JSON.stringify(m), /sig=|SECRET/);
});

test('local copies: <job folder>/logs/<step>/<path>; a path from the service cannot climb out', () => {
  assert.equal(
    localLogPath('/g/cloud-jobs/s/rg/ws/job', 'job', { step: 'score', path: 'logs/user/stdout/node0/process000.stdout.txt' }),
    '/g/cloud-jobs/s/rg/ws/job/logs/score/logs/user/stdout/node0/process000.stdout.txt',
  );
  assert.equal(localLogPath('/g/j', 'job', { path: 'logs/azureml/executionlogs.txt' }), '/g/j/logs/job/logs/azureml/executionlogs.txt');
  assert.equal(localLogPath('/g/j', 'job', { step: '../x', path: '../../etc/passwd' }), '/g/j/logs/.._x/_/_/etc/passwd');
});
