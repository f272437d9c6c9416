import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingModule } from '../../../src/core/runs/missing-module';
import type { MiniBatchFailure, WorkerError } from '../../../src/core/local';

const failed = (error?: WorkerError, failures: Pick<MiniBatchFailure, 'error'>[] = []) => ({
  status: 'Failed' as const,
  error,
  failures: failures as MiniBatchFailure[],
});

test('names the module the worker reported missing when the entry script was imported', () => {
  const r = missingModule(
    failed({ type: 'ModuleNotFoundError', message: "No module named 'numpy'", cause: 'missing_module', module: 'numpy' }),
  );
  assert.deepEqual(r, { module: 'numpy', message: "ModuleNotFoundError: No module named 'numpy'" });
});

test('takes the top-level package of a dotted module, and finds it in a mini-batch failure too', () => {
  const r = missingModule(
    failed(undefined, [
      {
        error: {
          type: 'ModuleNotFoundError',
          message: "No module named 'sklearn.linear_model'",
          cause: 'missing_module',
          module: 'sklearn.linear_model',
        },
      },
    ]),
  );
  assert.equal(r?.module, 'sklearn');
});

test('an import error without a missing module still counts, with no module to install', () => {
  const r = missingModule(failed({ type: 'ImportError', message: "cannot import name 'x' from 'y'", cause: 'import_error' }));
  assert.deepEqual(r, { message: "ImportError: cannot import name 'x' from 'y'" });
});

test('message text is never read: a user error that mentions a module is not a missing module', () => {
  assert.equal(missingModule(failed({ type: 'ValueError', message: "No module named 'numpy' in my config" })), undefined);
  assert.equal(
    missingModule(failed(undefined, [{ error: { type: 'RuntimeError', message: 'ModuleNotFoundError somewhere' } }])),
    undefined,
  );
});

test('a completed run has no missing module', () => {
  assert.equal(
    missingModule({
      status: 'Completed',
      error: { type: 'ModuleNotFoundError', message: 'x', cause: 'missing_module', module: 'x' },
      failures: [],
    }),
    undefined,
  );
});
