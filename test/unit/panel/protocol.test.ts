import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parsePageMessage } from '../../../src/shared/protocol';

test('accepts every well-formed page message', () => {
  const messages = [
    { type: 'ready' },
    { type: 'requestResultsPage', page: 3 },
    { type: 'requestResultsPage', page: 0, layout: 'table' },
    { type: 'action', action: { kind: 'rerun' } },
    { type: 'action', action: { kind: 'openOutput' } },
    { type: 'action', action: { kind: 'openLogs' } },
    { type: 'action', action: { kind: 'debugMiniBatch', index: 7 } },
    { type: 'action', action: { kind: 'openFile', file: '/src/score.py', line: 12 } },
    // A cloud job's own actions: the host knows the job (and the error's file); the page sends the kind only.
    ...['openStudio', 'resubmitWith', 'compareWithLocal', 'showJobLogs', 'openJobError'].map((kind) => ({
      type: 'action',
      action: { kind },
    })),
  ];
  for (const m of messages) assert.deepEqual(parsePageMessage(m), m);
});

test("a cloud action never carries the page's file or path to the host", () => {
  assert.deepEqual(parsePageMessage({ type: 'action', action: { kind: 'openJobError', file: '/etc/passwd', logFile: 'x' } }), {
    type: 'action',
    action: { kind: 'openJobError' },
  });
});

test('drops extra fields it does not know', () => {
  assert.deepEqual(parsePageMessage({ type: 'action', action: { kind: 'rerun', index: 3, evil: true } }), {
    type: 'action',
    action: { kind: 'rerun' },
  });
});

test('rejects malformed messages', () => {
  for (const m of [
    null,
    'ready',
    { type: 'unknown' },
    { type: 'requestResultsPage' },
    { type: 'requestResultsPage', page: -1 },
    { type: 'requestResultsPage', page: 1.5 },
    { type: 'requestResultsPage', page: 1, layout: 'grid' },
    { type: 'action' },
    { type: 'action', action: { kind: 'format disk' } },
    { type: 'action', action: { kind: 'debugMiniBatch' } },
    { type: 'action', action: { kind: 'openFile', file: '/x.py' } },
    { type: 'action', action: { kind: 'openFile', file: '', line: 1 } },
    { type: 'action', action: { kind: 'openFile', file: '/x.py', line: 0 } },
  ]) {
    assert.equal(parsePageMessage(m), undefined, JSON.stringify(m));
  }
});
