import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newRunDir, runDirFor, runsFolderFor, runStamp } from '../../../src/core/runs/run-dir';
import { nodeRunHistory } from '../../../src/core/runs/history';

const noon = new Date('2026-12-01T11:05:12.345Z');

test('a run folder is <runs folder>/<node>-<UTC stamp>, the runs folder relative to the spec', () => {
  assert.equal(runStamp(noon), '20261201-110512');
  assert.equal(runDirFor('/w/specs/pipeline.yml', 'score', noon), path.resolve('/w/specs/.parallel-run/runs/score-20261201-110512'));
  assert.equal(runsFolderFor('/w/specs/pipeline.yml', '../runs'), path.resolve('/w/runs'));
  assert.equal(runsFolderFor('/w/specs/pipeline.yml', '/abs/runs'), path.resolve('/abs/runs'));
});

test('two runs in the same second get -2, -3 …, and the run history reads them back newest first', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'run-dir-'));
  const spec = path.join(dir, 'pipeline.yml');
  const first = newRunDir(spec, 'score', { now: noon });
  mkdirSync(first, { recursive: true });
  const second = newRunDir(spec, 'score', { now: noon });
  mkdirSync(second);
  const third = newRunDir(spec, 'score', { now: noon });
  assert.equal(path.basename(second), 'score-20261201-110512-2');
  assert.equal(path.basename(third), 'score-20261201-110512-3');
  mkdirSync(third);
  const history = await nodeRunHistory(runsFolderFor(spec), 'score');
  assert.deepEqual(
    history.map((r) => path.basename(r.runDir)),
    ['score-20261201-110512-3', 'score-20261201-110512-2', 'score-20261201-110512'],
  );
  assert.equal(history[0].startedAt, '2026-12-01T11:05:12Z');
});
