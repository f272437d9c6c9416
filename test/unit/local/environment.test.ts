import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectGpusAsync, workerPycacheDir } from '../../../src/core/local/environment';

test(
  'detectGpusAsync: CUDA_VISIBLE_DEVICES first, else what nvidia-smi -L on PATH lists, else none',
  { skip: process.platform === 'win32' },
  async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-smi-'));
    try {
      writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "GPU 0: Fake A (UUID: GPU-a)"\necho "GPU 1: Fake B (UUID: GPU-b)"\n');
      chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
      const empty = mkdtempSync(path.join(os.tmpdir(), 'no-smi-'));
      assert.deepEqual(await detectGpusAsync({ PATH: `${bin}${path.delimiter}/usr/bin:/bin` }), ['0', '1']);
      assert.deepEqual(await detectGpusAsync({ PATH: empty }), [], 'no nvidia-smi: no GPUs, and no process started');
      assert.deepEqual(await detectGpusAsync({ PATH: bin, CUDA_VISIBLE_DEVICES: '3, 4,-1' }), ['3', '4']);
      rmSync(empty, { recursive: true, force: true });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  },
);

test('workerPycacheDir: PARALLEL_RUN_PYCACHE wins (empty turns the cache off), else the user cache folder', () => {
  assert.equal(workerPycacheDir({ PARALLEL_RUN_PYCACHE: '/x/y' }), '/x/y');
  assert.equal(workerPycacheDir({ PARALLEL_RUN_PYCACHE: '' }), '');
  if (process.platform === 'linux') {
    assert.equal(workerPycacheDir({ XDG_CACHE_HOME: '/c' }), path.join('/c', 'parallel-run', 'pycache'));
    assert.equal(workerPycacheDir({}), path.join(os.homedir(), '.cache', 'parallel-run', 'pycache'));
  }
});
