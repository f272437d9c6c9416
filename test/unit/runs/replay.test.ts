import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { replayOf } from '../../../src/core/runs/replay';
import type { MiniBatchRecord } from '../../../src/core/local/types';

const record = (data: MiniBatchRecord['data'], over: Partial<MiniBatchRecord> = {}): MiniBatchRecord => ({
  index: 3,
  data,
  partitionKeyValue: {},
  status: 'failed',
  attempts: 3,
  succeeded: 0,
  ...over,
});

test('a files mini-batch replays the same files, counted as items', () => {
  const m = replayOf(record({ kind: 'files', files: ['/d/a.png', '/d/b.png'] }));
  assert.deepEqual(m, { index: 3, data: { kind: 'files', files: ['/d/a.png', '/d/b.png'] }, partitionKeyValue: {}, items: 2, bytes: 0 });
});

test('a byte range replays the same bytes, with the rows the run read from it', () => {
  const m = replayOf(record({ kind: 'range', file: '/d/t.csv', start: 120, end: 9000 } as MiniBatchRecord['data'], { items: 40 }));
  assert.equal(m.bytes, 8880);
  assert.equal(m.items, 40);
  assert.equal(m.index, 3);
});

test('a partition group keeps its key values and row count', () => {
  const m = replayOf(
    record({ kind: 'pickle', file: '/d/g.pkl', rows: 121 } as MiniBatchRecord['data'], { partitionKeyValue: { Store: '1000' } }),
  );
  assert.deepEqual(m.partitionKeyValue, { Store: '1000' });
  assert.equal(m.items, 121);
});
