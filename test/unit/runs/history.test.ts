import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeRunHistory } from '../../../src/core/runs/history';

function runFolder(root: string, name: string, result?: string): void {
  mkdirSync(path.join(root, name, 'logs'), { recursive: true });
  if (result !== undefined) writeFileSync(path.join(root, name, 'logs', 'job_result.txt'), result);
}

test("lists a node's runs newest first with the status job_result.txt starts with", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'prs-history-'));
  runFolder(root, 'score-20261201-101500', 'Completed\n');
  runFolder(root, 'score-20261201-103000', 'Failed\nException: boom\n');
  runFolder(root, 'score-20261201-103000-2', 'Canceled\n');
  runFolder(root, 'score-20261201-104500');
  runFolder(root, 'score_other-20261201-110000', 'Completed\n');
  runFolder(root, 'notes', 'Completed\n');
  const runs = await nodeRunHistory(root, 'score');
  assert.deepEqual(
    runs.map((r) => [path.basename(r.runDir), r.status, r.startedAt]),
    [
      ['score-20261201-104500', 'Running', '2026-12-01T10:45:00Z'],
      ['score-20261201-103000-2', 'Canceled', '2026-12-01T10:30:00Z'],
      ['score-20261201-103000', 'Failed', '2026-12-01T10:30:00Z'],
      ['score-20261201-101500', 'Completed', '2026-12-01T10:15:00Z'],
    ],
  );
  assert.equal((await nodeRunHistory(root, 'score', 2)).length, 2);
  assert.deepEqual(await nodeRunHistory(path.join(root, 'missing'), 'score'), []);
});
