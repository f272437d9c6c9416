import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, listRelativeFiles, sortByteOrder } from '../../../src/core/local/partition';
import { listRelativeFilesSync, sortByteOrderInSlices } from '../../../src/core/local/partition/listFiles';
import { tempDir, writeTree } from './helpers';

test('listFiles: recursive, hidden files included, sorted by relative POSIX path in byte order', async () => {
  const root = tempDir();
  writeTree(root, {
    'b.txt': 'b',
    'a/z.txt': 'z',
    'a/b/c.txt': 'c',
    'a-b.txt': 'dash sorts before slash',
    'A.txt': 'upper case first',
    '.hidden': 'h',
    'a/.git/config': 'x',
    'a.txt': 'dot sorts before slash',
    'deep/er/and/deeper/x.bin': 'x',
  });
  fs.mkdirSync(path.join(root, 'empty/dir'), { recursive: true });
  const rel = await listRelativeFiles(root);
  assert.deepEqual(rel, [
    '.hidden',
    'A.txt',
    'a-b.txt',
    'a.txt',
    'a/.git/config',
    'a/b/c.txt',
    'a/z.txt',
    'b.txt',
    'deep/er/and/deeper/x.bin',
  ]);
  const abs = await listFiles(root);
  assert.deepEqual(
    abs,
    rel.map((r) => path.join(root, r)),
  );
});

test('listFiles: a file root lists itself; a missing root is an error naming it', async () => {
  const root = tempDir();
  writeTree(root, { 'one.csv': '1' });
  assert.deepEqual(await listFiles(path.join(root, 'one.csv')), [path.join(root, 'one.csv')]);
  await assert.rejects(listFiles(path.join(root, 'nope')), /nope/);
});

test('listFiles: follows symlinked files and folders, skips broken links, does not loop', async () => {
  const root = tempDir();
  const outside = tempDir();
  writeTree(outside, { 'ext.txt': 'e', 'extdir/inner.txt': 'i' });
  writeTree(root, { 'data/real.txt': 'r' });
  fs.symlinkSync(path.join(outside, 'ext.txt'), path.join(root, 'data/link.txt'));
  fs.symlinkSync(path.join(outside, 'extdir'), path.join(root, 'linkdir'));
  fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'broken'));
  fs.symlinkSync(root, path.join(root, 'data/loop')); // back to the root
  fs.symlinkSync('..', path.join(outside, 'extdir/up')); // from inside a followed folder, up out of it
  const rel = await listRelativeFiles(root);
  assert.ok(rel.includes('data/link.txt'));
  assert.ok(rel.includes('linkdir/inner.txt'));
  assert.ok(!rel.includes('broken'));
  assert.ok(!rel.some((r) => r.startsWith('data/loop/')), 'a link back to the root is not followed');
  // linkdir/up -> outside (not an ancestor on the path) is followed once; its own extdir/up loops and stops.
  assert.ok(rel.includes('linkdir/up/ext.txt'));
  assert.ok(!rel.some((r) => r.includes('up/extdir/up/')));
  assert.ok(rel.length < 20);
});

test('sortByteOrder: astral characters sort after U+E000..U+FFFF, as UTF-8 bytes do', () => {
  const list = ['\u{1F600}.txt', '\uFF21.txt', 'z.txt', '\u00e9.txt'];
  sortByteOrder(list);
  const bytes = [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert.deepEqual(list, bytes);
  assert.deepEqual(list, ['z.txt', '\u00e9.txt', '\uFF21.txt', '\u{1F600}.txt']);
});

test('listFiles: abort signal rejects with AbortError', async () => {
  const root = tempDir();
  writeTree(root, { 'a/b.txt': 'x' });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(listFiles(root, { signal: ac.signal }), { name: 'AbortError' });
});

test('listRelativeFilesSync lists what listRelativeFiles lists: same symlink, loop and order rules', async () => {
  const root = tempDir();
  const outside = tempDir();
  writeTree(outside, { 'ext.txt': 'e', 'extdir/inner.txt': 'i' });
  writeTree(root, { 'data/real.txt': 'r', 'a-b.txt': '-', 'a/x.txt': 'x', '\u{1F600}.txt': 's', '\uFF21.txt': 'f' });
  fs.symlinkSync(path.join(outside, 'ext.txt'), path.join(root, 'data/link.txt'));
  fs.symlinkSync(path.join(outside, 'extdir'), path.join(root, 'linkdir'));
  fs.symlinkSync(path.join(outside, 'extdir'), path.join(root, 'linkdir2'));
  fs.symlinkSync(path.join(root, 'missing'), path.join(root, 'broken'));
  fs.symlinkSync(root, path.join(root, 'data/loop'));
  fs.symlinkSync('..', path.join(outside, 'extdir/up'));
  const sync = listRelativeFilesSync(root);
  assert.deepEqual(sync, await listRelativeFiles(root));
  assert.ok(sync.includes('linkdir/inner.txt') && sync.includes('linkdir2/inner.txt'));
});

test('sortByteOrderInSlices sorts long lists as sortByteOrder does, and stops on abort', async () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'b', 'Z', '/', '-', '.', '\u00e9', '\uFF21', '\u{1F600}', '0'];
  const make = (astral: boolean) =>
    Array.from({ length: 40_000 }, () =>
      Array.from({ length: 1 + Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * (astral ? alphabet.length : 8))]).join(''),
    );
  for (const astral of [false, true]) {
    const list = make(astral);
    const expected = sortByteOrder([...list]);
    const sorted = await sortByteOrderInSlices(list);
    assert.equal(sorted, list, 'sorted in place');
    assert.deepEqual(list, expected);
  }
  const controller = new AbortController();
  const pending = sortByteOrderInSlices(make(false), controller.signal);
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});
