#!/usr/bin/env node
/**
 * `parallel-run` as installed (dist/cli.js): loads the CLI bundle (dist/cli-main.js, from src/cli.ts) with
 * V8's code cache, kept in the user's cache folder. Compiling the ~450 KB bundle is ~25 ms of every start;
 * with the cache it is ~3 ms, and functions the last run compiled lazily come precompiled too. The cache is
 * keyed by the bundle (path, size, time) and Node's version; V8 itself rejects one that does not match its
 * source or flags, and then a fresh one is written. `PARALLEL_RUN_CODE_CACHE=` (empty) turns it off.
 * Kept tiny and free of the bundle's modules: it is what runs before the cache can help.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

const main = path.join(__dirname, 'cli-main.js');

function cacheFile(): string | undefined {
  const env = process.env;
  if (env.PARALLEL_RUN_CODE_CACHE !== undefined) return env.PARALLEL_RUN_CODE_CACHE || undefined;
  const base =
    process.platform === 'win32'
      ? env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local')
      : env.XDG_CACHE_HOME || path.join(os.homedir(), process.platform === 'darwin' ? 'Library/Caches' : '.cache');
  const st = fs.statSync(main);
  let h = 5381;
  for (let i = 0; i < main.length; i++) h = ((h << 5) + h + main.charCodeAt(i)) | 0;
  const key = `${process.version}-${process.arch}-${(h >>> 0).toString(36)}-${st.size}-${Math.floor(st.mtimeMs)}`;
  return path.join(base, 'parallel-run', 'v8', `cli-${key}.bin`);
}

function load(): void {
  let file: string | undefined;
  let cached: Buffer | undefined;
  try {
    file = cacheFile();
    if (file) cached = fs.readFileSync(file);
  } catch {
    cached = undefined; // no cache yet (or no home folder): compile as usual
  }
  // The hashbang line is blanked, not removed, so line numbers in stack traces stay right.
  const source = fs.readFileSync(main, 'utf8').replace(/^#!.*/, '');
  // import() inside the bundle goes to Node's own loader, as it would without the launcher (Node 20 warns
  // that this is experimental the first time it is used: the CLI's code uses require()).
  const importModuleDynamically = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants
    ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(Module.wrap(source), {
    filename: main,
    cachedData: cached,
    ...(importModuleDynamically ? { importModuleDynamically: importModuleDynamically as never } : {}),
  });
  if (file && (!cached || script.cachedDataRejected)) {
    const target = file;
    // At exit, so the functions this run compiled are in the cache too.
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const temp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, target);
      } catch {
        // a read-only cache folder only costs the next start its compile time
      }
    });
  }
  const mod = new Module(main, module);
  mod.filename = main;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(main));
  const req = Module.createRequire(main);
  // src/cli.ts starts when `require.main === module`: it is the program here.
  (req as { main?: Module }).main = mod;
  script.runInThisContext()(mod.exports, req, mod, main, path.dirname(main));
  mod.loaded = true;
}

load();
