import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendRowOutput } from '../../../src/core/local/output/append-row';

test('copies only committed ranges, in mini-batch order, never a torn tail', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-append-'));
  const a = path.join(dir, 'a.txt');
  const b = path.join(dir, 'b.txt');
  // Worker a finished mini-batches 2 then 0; worker b finished 1 and was killed while writing more.
  writeFileSync(a, 'two\nzero\n');
  writeFileSync(b, 'one\nhalf-writ');
  const out = new AppendRowOutput();
  out.commit(2, a, 0, 4);
  out.commit(0, a, 4, 9);
  out.commit(1, b, 0, 4);
  const file = path.join(dir, 'out.txt');
  assert.equal(await out.write(file), 13);
  assert.equal(readFileSync(file, 'utf8'), 'zero\none\ntwo\n');
});

test('an empty commit adds nothing', async () => {
  const out = new AppendRowOutput();
  out.commit(0, '/nonexistent', 5, 5);
  assert.equal(out.committedMiniBatches, 0);
});

test('assembles ranges larger than the read window and out of file order', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-append-'));
  const a = path.join(dir, 'a.txt');
  const big = 'x'.repeat(700_000) + '\n';
  writeFileSync(a, 'late retry\n' + big);
  const out = new AppendRowOutput();
  out.commit(0, a, 11, 11 + big.length);
  out.commit(1, a, 0, 11);
  const file = path.join(dir, 'out.txt');
  assert.equal(await out.write(file), big.length + 11);
  assert.equal(readFileSync(file, 'utf8'), big + 'late retry\n');
});
