// The pieces of following that read text: the first real error (tracebacks as the worker and job_error.txt write
// them), the user's frame, the local file, progress in the engine's and the cloud's wording, and complete lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firstTraceback, liftError, localFileFor, userFrameOf } from '../../../../src/core/azure/follow/error';
import { ProcessedMiniBatches, progressFromOverview, progressFromProgressCsv } from '../../../../src/core/azure/follow/progress';
import { takeLines, type TailState } from '../../../../src/core/azure/follow/log-tail';
import { followIntervalSeconds, streamableLogs } from '../../../../src/core/azure/follow/follow';

const userErrorLog = `==== 2026-12-01 10:00:00 init() failed on node0/process000
Traceback (most recent call last):
  File "/mnt/azureml/cr/j/abc/exe/wd/prs_worker/worker.py", line 88, in _init
    module.init()
  File "/mnt/azureml/cr/j/abc/exe/wd/score.py", line 7, in init
    import helper
ModuleNotFoundError: No module named 'helper'

==== 2026-12-01 10:00:01 init() failed on node0/process000
Traceback (most recent call last):
  File "/mnt/azureml/cr/j/abc/exe/wd/score.py", line 9, in init
ValueError: second
`;

test('firstTraceback: the first exception, its frames, and the user frame skips the driver', () => {
  const ex = firstTraceback(userErrorLog)!;
  assert.equal(ex.type, 'ModuleNotFoundError');
  assert.equal(ex.message, "No module named 'helper'");
  assert.equal(ex.frames.length, 2);
  assert.deepEqual(userFrameOf(ex.frames), { file: '/mnt/azureml/cr/j/abc/exe/wd/score.py', line: 7, function: 'init' });
  assert.ok(!ex.traceback.includes('ValueError'), 'only the first entry');
});

test('firstTraceback: indented (job_error.txt) and chained tracebacks end at the exception that propagated', () => {
  const text = `2026-12-01T10:00:00Z mini-batch 3 attempt 1 on node0/process001 failed (exception)
  items: a.png, b.png
  KeyError: 'x'
    Traceback (most recent call last):
      File "/wd/score.py", line 20, in run
        d['x']
    KeyError: 'x'

    During handling of the above exception, another exception occurred:

    Traceback (most recent call last):
      File "/wd/score.py", line 22, in run
        raise RuntimeError('bad row') from None
      File "/usr/lib/python3.10/site-packages/pandas/core/frame.py", line 5, in f
    RuntimeError: bad row

2026-12-01T10:00:01Z mini-batch 4 attempt 1 failed
`;
  const ex = firstTraceback(text)!;
  assert.equal(ex.type, 'RuntimeError');
  assert.equal(ex.message, 'bad row');
  assert.deepEqual(userFrameOf(ex.frames), { file: '/wd/score.py', line: 22, function: 'run' }, "the library frame is not the user's");
  assert.equal(firstTraceback('no error here\n'), undefined);
});

test('liftError: logs/user/error before job_error.txt before job_result.txt; the local file found by path suffix', () => {
  const code = mkdtempSync(path.join(os.tmpdir(), 'prs-code-'));
  writeFileSync(path.join(code, 'score.py'), '');
  mkdirSync(path.join(code, 'lib'));
  writeFileSync(path.join(code, 'lib', 'util.py'), '');
  const files = new Map([
    ['logs/job_result.txt', 'Failed\nAll workers failed in init().\n'],
    ['logs/job_error.txt', 'Traceback (most recent call last):\n  File "/wd/other.py", line 1, in run\nOSError: disk\n'],
    ['logs/user/error/node1/process000.txt', userErrorLog],
  ]);
  const e = liftError({ step: 'score', files }, [code])!;
  assert.equal(e.message, "ModuleNotFoundError: No module named 'helper'");
  assert.equal(e.logFile, 'logs/user/error/node1/process000.txt');
  assert.equal(e.step, 'score');
  assert.equal(e.frame?.line, 7);
  assert.equal(e.localFile, path.join(code, 'score.py'));
  assert.equal(localFileFor('/mnt/x/wd/lib/util.py', [code]), path.join(code, 'lib', 'util.py'));
  assert.equal(localFileFor('/mnt/x/wd/none.py', [code]), undefined);
  const reasonOnly = liftError({ files: new Map([['logs/job_result.txt', 'Failed\nExceeded error threshold.\n']]) })!;
  assert.deepEqual(reasonOnly, { message: 'Exceeded error threshold.', logFile: 'logs/job_result.txt' });
});

test("progress: the engine's overview line, the cloud's progress.csv, processed_mini-batches.csv in both wordings", () => {
  const p = progressFromOverview([
    '2026-12-01T10:00:00.000Z Processed 3 of 20 mini-batches (3 succeeded, 0 failed, 0 retried); items: 15 succeeded, 0 failed; elapsed 1.0 s',
    '2026-12-01T10:00:01.000Z Processed 7 of 20 mini-batches (6 succeeded, 1 failed, 2 retried); items: 30 succeeded, 5 failed of 100; elapsed 2.0 s',
  ])!;
  assert.deepEqual(p.progress, {
    miniBatches: { total: 20, succeeded: 6, failed: 1, retried: 2 },
    items: { succeeded: 30, failed: 5, total: 100 },
  });
  assert.match(p.line, /^Processed 7 of 20/);
  assert.deepEqual(
    progressFromProgressCsv([
      'Datetime,Total Tasks,Scheduled Tasks,Completed Tasks,Failed Tasks',
      '2026-12-01 10:00:00,20,8,5,1',
      '2026-12-01 10:00:05,20,12,9,2',
    ]),
    {
      miniBatches: { total: 20, succeeded: 7, failed: 2 },
    },
  );
  const cloud = new ProcessedMiniBatches();
  cloud.add(['Mini-batch Id,Status,Item Count', '0,RUN_DONE,5', '1,RUN_FAILED,5']);
  cloud.add(['2,RUN_DONE,5']);
  assert.deepEqual(cloud.progress, { miniBatches: { succeeded: 2, failed: 1 } });
  const local = new ProcessedMiniBatches();
  local.add([
    'mini_batch,status,attempts,items,succeeded,worker,seconds,data',
    '0,succeeded,1,5,5,node0/process000,0.1,"a.png | b.png"',
    '1,failed,3,5,0,node0/process001,0.2,c.png',
    '2,pending,0,,0,,,d.png',
  ]);
  assert.deepEqual(local.progress, { miniBatches: { succeeded: 1, failed: 1 } });
});

test('takeLines: only complete lines, a partial one waits for its newline (or the end), multi-byte characters split across reads', () => {
  const s: TailState = { offset: 0, partial: Buffer.alloc(0) };
  assert.deepEqual(takeLines(s, Buffer.from('one\ntw')), ['one']);
  assert.deepEqual(takeLines(s, Buffer.from('o\nthree')), ['two']);
  const euro = Buffer.from('€\n');
  assert.deepEqual(takeLines(s, euro.subarray(0, 1)), []);
  assert.deepEqual(takeLines(s, euro.subarray(1)), ['three€']);
  assert.deepEqual(takeLines(s, Buffer.from('last'), true), ['last']);
  assert.equal(s.offset, 'one\ntwo\nthree€\nlast'.length + 2);
});

test("the interval: azure-ai-ml's growth with a configurable fastest one; az ml job stream's log choice", () => {
  // azure-ai-ml's max(2, int(60 / (1 + 100·e^(−t/20)))) at these times.
  assert.deepEqual(
    [0, 30, 60, 90, 500].map((t) => followIntervalSeconds(t)),
    [2, 2, 10, 28, 59],
  );
  assert.equal(followIntervalSeconds(0, 0.5), 0.5);
  assert.equal(followIntervalSeconds(30, 0.5), 2);
  assert.equal(followIntervalSeconds(10_000, 0.5), 60);
  assert.deepEqual(streamableLogs(['logs/azureml/executionlogs.txt', 'user_logs/std_log.txt', 'logs/job_result.txt']), [
    'user_logs/std_log.txt',
  ]);
  assert.deepEqual(streamableLogs(['logs/azureml/executionlogs.txt', 'logs/job_result.txt']), ['logs/azureml/executionlogs.txt']);
  assert.deepEqual(streamableLogs(['azureml-logs/70_driver_log.txt', 'azureml-logs/55_azureml-execution.txt', 'x.txt']), [
    'azureml-logs/55_azureml-execution.txt',
    'azureml-logs/70_driver_log.txt',
  ]);
});
