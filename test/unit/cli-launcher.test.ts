/** dist/cli.js, the launcher: the CLI bundle loaded with V8's code cache, behaving exactly as without it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function runCli(cacheHome: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  assert.ok(existsSync(path.join(root, 'dist', 'cli-main.js')), 'dist/ is built (node esbuild.mjs; scripts/test.mjs does it)');
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env.PARALLEL_RUN_CODE_CACHE;
  Object.assign(env, extraEnv);
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
}

function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, 'parallel-run', 'v8');
  return existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

test('the first start writes the code cache, later starts use it, and the output and exit code do not change', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cli-cache-'));
  try {
    const first = runCli(home, ['--help']);
    assert.equal(first.status, 0);
    assert.match(first.stdout, /^Usage:\n {2}parallel-run run <spec\.yml>/);
    const files = cacheFiles(home);
    assert.equal(files.length, 1);
    assert.match(path.basename(files[0]), new RegExp(`^cli-${process.version}-${process.arch}-.*\\.bin$`));
    const second = runCli(home, ['--help']);
    assert.deepEqual([second.status, second.stdout, second.stderr], [first.status, first.stdout, first.stderr]);
    const bad = runCli(home, ['run']);
    assert.equal(bad.status, 2, 'exit codes pass through');
    assert.match(bad.stdout + bad.stderr, /Usage:/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a corrupt cache is rejected by V8 and rewritten; PARALLEL_RUN_CODE_CACHE= turns the cache off', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cli-cache-'));
  try {
    runCli(home, ['--help']);
    const [file] = cacheFiles(home);
    writeFileSync(file, Buffer.from('not a V8 code cache'));
    const r = runCli(home, ['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage:/);
    assert.notEqual(readFileSync(file, 'utf8'), 'not a V8 code cache', 'the rejected cache was replaced');
    assert.ok(statSync(file).size > 10_000);
    const off = mkdtempSync(path.join(os.tmpdir(), 'cli-cache-off-'));
    const r2 = runCli(off, ['--help'], { PARALLEL_RUN_CODE_CACHE: '' });
    assert.equal(r2.status, 0);
    assert.deepEqual(cacheFiles(off), []);
    rmSync(off, { recursive: true, force: true });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
