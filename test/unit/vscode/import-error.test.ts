import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingModule } from '../../../src/vscode/python/import-error';
import type { MiniBatchFailure } from '../../../src/core/local';

const failed = (reason: string, failures: Pick<MiniBatchFailure, 'error'>[] = []) => ({ status: 'Failed' as const, reason, failures: failures as MiniBatchFailure[] });

test('names the module an entry script could not import in init()', () => {
  const r = missingModule(failed("init() failed on every worker (3 tries each): ModuleNotFoundError: No module named 'numpy' — the interpreter python3 lacks a package"));
  assert.equal(r?.module, 'numpy');
});

test('takes the top-level package of a dotted module, and finds it in a mini-batch failure too', () => {
  const r = missingModule(failed('Exceeded error threshold.', [{ error: { type: 'ModuleNotFoundError', message: "No module named 'sklearn.linear_model'" } }]));
  assert.equal(r?.module, 'sklearn');
});

test('an ImportError without a module name still counts; other failures and completed runs do not', () => {
  assert.deepEqual(missingModule(failed('init() failed: ImportError: cannot import name x from y')), { message: 'init() failed: ImportError: cannot import name x from y' });
  assert.equal(missingModule(failed('init() failed on every worker: ValueError: bad model')), undefined);
  assert.equal(missingModule({ status: 'Completed', reason: "No module named 'x'", failures: [] }), undefined);
});
