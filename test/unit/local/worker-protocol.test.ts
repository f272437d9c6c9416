import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { workerPackageDir } from '../../../src/core/local/environment';
import { WORKER_PROTOCOL_VERSION, workerProtocolMismatch } from '../../../src/core/local/worker/channel';

test('the engine and the shipped worker speak the same protocol version', () => {
  const init = readFileSync(path.join(workerPackageDir(), 'prs_worker', '__init__.py'), 'utf8');
  const version = /^PROTOCOL_VERSION = (\d+)$/m.exec(init)?.[1];
  assert.equal(Number(version), WORKER_PROTOCOL_VERSION, 'bump both python/prs_worker/__init__.py and WORKER_PROTOCOL_VERSION together');
  assert.equal(workerProtocolMismatch(WORKER_PROTOCOL_VERSION, '/ext/python'), undefined);
});

test('a worker of another version, or of none, is refused with both versions and the fix', () => {
  const older = workerProtocolMismatch(1, '/ext/python');
  assert.match(older!, /\/ext\/python\/prs_worker speaks worker protocol version 1, but this engine speaks version 2/);
  assert.match(older!, /Reinstall the extension/);
  assert.match(
    workerProtocolMismatch(undefined, '/ext/python')!,
    /speaks no worker protocol version \(it predates version 2\), but this engine speaks version 2/,
  );
  assert.match(workerProtocolMismatch(3, '/ext/python')!, /version 3/);
});
