// .amlignore / .gitignore: git's pattern rules, and which file rules a folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileIgnoreFile, ruleVerdict } from '../../../src/core/azure/upload/ignore';
import { packageLocalPath } from '../../../src/core/azure/upload/package';

function ignored(patterns: string, rel: string, isDir = false): boolean {
  return ruleVerdict(compileIgnoreFile(patterns), rel, isDir) === true;
}

test("a pattern without a slash matches the name at any depth; with one it is anchored to the file's folder", () => {
  assert.ok(ignored('*.pyc', 'a.pyc'));
  assert.ok(ignored('*.pyc', 'pkg/sub/a.pyc'));
  assert.ok(!ignored('*.pyc', 'a.py'));
  assert.ok(ignored('/data', 'data', true));
  assert.ok(!ignored('/data', 'src/data', true));
  assert.ok(ignored('src/tmp', 'src/tmp'));
  assert.ok(!ignored('src/tmp', 'x/src/tmp'));
  assert.ok(!ignored('*.txt', 'dir.txt/x.py'), 'a pattern matches a path, not a prefix of it');
});

test('trailing slash: directories only; ** forms; ? and classes never match a slash', () => {
  assert.ok(ignored('logs/', 'logs', true));
  assert.ok(!ignored('logs/', 'logs', false));
  assert.ok(ignored('**/cache', 'a/b/cache', true));
  assert.ok(ignored('**/cache', 'cache', true));
  assert.ok(ignored('a/**/b', 'a/b'));
  assert.ok(ignored('a/**/b', 'a/x/y/b'));
  assert.ok(ignored('out/**', 'out/x/y.txt'));
  assert.ok(!ignored('out/**', 'out', true));
  assert.ok(ignored('file?.txt', 'file1.txt'));
  assert.ok(!ignored('a?b', 'a/b'));
  assert.ok(ignored('img[0-9].png', 'img7.png'));
  assert.ok(!ignored('img[!0-9].png', 'img7.png'));
  assert.ok(ignored('img[!0-9].png', 'imgx.png'));
});

test('the last matching line wins; ! re-includes; comments, blanks, escapes and trailing spaces', () => {
  const rules = '# comment\n\n*.log\n!keep.log\n\\#hash\n\\!bang\nspaced   \n';
  assert.ok(ignored(rules, 'x.log'));
  assert.ok(!ignored(rules, 'keep.log'));
  assert.ok(ignored(rules, '#hash'));
  assert.ok(ignored(rules, '!bang'));
  assert.ok(ignored(rules, 'spaced'));
  assert.ok(!ignored(rules, '# comment'));
  assert.ok(ignored('a.log\r\n', 'a.log'), 'CRLF files work');
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'prs-ignore-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('.amlignore wins over .gitignore in the same folder; nested files rule below them; an ignored folder is not entered', async () => {
  const root = tree({
    'src/score.py': 'x',
    'src/.gitignore': 'score.py\n',
    'src/.amlignore': '*.tmp\ndata/\n!important.tmp\n',
    'src/a.tmp': 't',
    'src/important.tmp': 't',
    'src/data/big.bin': 'b',
    'src/data/important.tmp': 't',
    'src/sub/.gitignore': '*.csv\n',
    'src/sub/rows.csv': 'c',
    'src/sub/b.tmp': 't',
    'src/sub/ok.py': 'p',
    'src/.git/HEAD': 'ref',
  });
  const pkg = await packageLocalPath(path.join(root, 'src'));
  assert.deepEqual(
    pkg.files.map((f) => f.rel),
    ['.amlignore', '.gitignore', 'important.tmp', 'score.py', 'sub/.gitignore', 'sub/ok.py'],
  );
  assert.equal(pkg.name, 'src');
  assert.match(pkg.hash, /^[0-9a-f]{32}$/);
  assert.equal(pkg.blobPath, `LocalUpload/${pkg.hash}/src`);
});

test('the hash follows content and names only: same files, same hash; one byte changed, another hash', async () => {
  const a = await packageLocalPath(path.join(tree({ 'code/a.py': '1', 'code/b/c.py': '2' }), 'code'));
  const b = await packageLocalPath(path.join(tree({ 'code/a.py': '1', 'code/b/c.py': '2' }), 'code'));
  const c = await packageLocalPath(path.join(tree({ 'code/a.py': '1', 'code/b/c.py': '3' }), 'code'));
  const d = await packageLocalPath(path.join(tree({ 'code/a.py': '1', 'code/b/d.py': '2' }), 'code'));
  assert.equal(a.hash, b.hash);
  assert.notEqual(a.hash, c.hash);
  assert.notEqual(a.hash, d.hash);
});

test('an empty or fully ignored folder, and a missing path, are errors that say what to do', async () => {
  await assert.rejects(packageLocalPath(path.join(tree({ 'code/.amlignore': '*\n' }), 'code')), /has no file to upload .*un-ignore them/);
  await assert.rejects(packageLocalPath('/nonexistent/prs/code'), /\/nonexistent\/prs\/code does not exist: fix the path in the spec/);
});
