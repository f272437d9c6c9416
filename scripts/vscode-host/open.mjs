// `npm run sample -- --vscode`: the sample opened in VS Code (code-server) in the user's browser.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './setup.mjs';
import {
  codeServerArgs,
  codeServerConfig,
  installExtensionCopy,
  quietSettings,
  serverEnv,
  startCodeServer,
  waitForCodeServer,
} from './server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Serves VS Code (code-server, from scripts/vscode-host) on http://127.0.0.1:${PORT:-8080} with no password and
 * the sample folder open, the extension installed as a copy (as from a VSIX) in a persistent
 * .vscode-test/user/extensions/, and user data (settings, logs) in .vscode-test/user/data/. It runs until
 * Ctrl-C, then stops code-server's whole process group (server, extension host, Python workers).
 *
 * Workspace Trust stays on, as in a user's VS Code. code-server cannot pre-trust a folder: the list of trusted
 * folders lives in the browser's storage (IndexedDB), not on the server, and its only switch,
 * --disable-workspace-trust, turns the feature off. So the first visit asks "Do you trust the authors…?":
 * click "Yes, I trust the authors" (the browser remembers it); until then the lenses read "(trust required)".
 *
 * Options (`npm run try-azure` uses them): `profile` the folder under .vscode-test/ for user data and extensions
 * (default `user`), `defaultPort` when $PORT is unset, `install` more extension folders to install as copies,
 * `settings` user settings that override the user's own, `env` more environment for code-server, `onStop` called
 * after code-server stopped, `instructions({url, logFile})` the text printed once it listens, `command` how the
 * user started it (for the "port taken" hint).
 */
export async function openInVsCode(folder, options = {}) {
  const {
    profile = 'user',
    defaultPort = 8080,
    install = [],
    settings = {},
    env: extraEnv = {},
    onStop = async () => {},
    instructions,
    command = 'npm run sample -- --vscode',
  } = options;
  const port = Number(process.env.PORT || defaultPort);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT=${process.env.PORT} is not a port number`);
  const host = ensureHost({ log: (s) => console.log(s) });

  const user = path.join(root, '.vscode-test', profile);
  const dirs = {
    userData: path.join(user, 'data'),
    extensions: path.join(user, 'extensions'),
    // code-server keeps its own files (heartbeat, coder-logs) under XDG data: here, not in your home folder.
    xdgData: path.join(user, 'xdg-data'),
    xdgConfig: path.join(user, 'xdg-config'),
    xdgCache: path.join(user, 'xdg-cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const config = path.join(user, 'config.yaml');
  writeFileSync(config, codeServerConfig);
  writeUserSettings(
    path.join(dirs.userData, 'User', 'settings.json'),
    {
      ...quietSettings,
      'security.workspace.trust.enabled': true,
      // Ask once at the first visit (quietSettings never asks: the tests decide trust themselves).
      'security.workspace.trust.startupPrompt': 'once',
      'security.workspace.trust.banner': 'untilDismissed',
    },
    settings,
  );
  const installed = installExtensionCopy(dirs.extensions, root);
  for (const extra of install) installExtensionCopy(dirs.extensions, extra);
  // VS Code lists installed extensions in extensions.json; an entry left by another version (or a copy that
  // was replaced) would hide this one: let it rescan the folder.
  removeStaleExtensionEntries(path.join(dirs.extensions, 'extensions.json'), installed);

  const logFile = path.join(user, 'code-server.log');
  const output = createWriteStream(logFile);
  const args = codeServerArgs({ host, port, config, userDataDir: dirs.userData, extensionsDir: dirs.extensions, trust: true, folder });
  const env = serverEnv({ XDG_DATA_HOME: dirs.xdgData, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_CACHE_HOME: dirs.xdgCache, ...extraEnv });
  const server = startCodeServer({ host, args, env, cwd: folder, output });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    if (server.exited() === undefined) console.log('\nStopping VS Code…');
    await server.stop();
    await onStop();
    output.end();
    process.exit(code);
  };
  process.on('exit', server.kill);
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  process.on('SIGHUP', () => void stop(129));

  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForCodeServer(server, base, { ms: 60_000, logHint: `; see ${path.relative(root, logFile)}` });
  } catch (e) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const inUse = /EADDRINUSE/.test(log) ? ` — port ${port} is taken: run with another, e.g. PORT=${port + 1} ${command}` : '';
    console.error(`${e instanceof Error ? e.message : e}${inUse}`);
    return stop(1);
  }
  const url = `${base}/?folder=${encodeURI(folder)}`;
  console.log(
    instructions
      ? instructions({ url, logFile: path.relative(root, logFile) })
      : `
VS Code is serving the ${path.basename(folder)} sample with the Azure ML Parallel Run extension. Open it in a browser:

    ${url}

Click "Yes, I trust the authors" when asked (Run locally needs a trusted workspace), then open
src/digit_identification.py and click "Run locally" above run(). Logs: ${path.relative(root, logFile)}.
Press Ctrl-C to stop.`,
  );
  server.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`code-server exited (${code ?? signal}); see ${path.relative(root, logFile)}`);
    void stop(1);
  });
}

/**
 * Writes our settings under the user's own: a setting already in settings.json (changed in VS Code) wins, except
 * `forced` ones (the test bed's endpoint, which changes at every start).
 */
function writeUserSettings(file, ours, forced = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  let theirs = {};
  if (existsSync(file)) {
    try {
      theirs = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // Comments or a typo: VS Code reads JSONC; leave the user's file as it is, unless it must point somewhere.
      if (Object.keys(forced).length)
        throw new Error(
          `${path.relative(root, file)} is not plain JSON, so its ${Object.keys(forced).join(', ')} cannot be set: delete the file (rm ${path.relative(root, file)}) and start again`,
        );
      return;
    }
  }
  writeFileSync(file, JSON.stringify({ ...ours, ...theirs, ...forced }, null, 2) + '\n');
}

/** Drops entries of extensions.json that point at this extension but not at the copy just installed. */
function removeStaleExtensionEntries(file, installed) {
  if (!existsSync(file)) return;
  try {
    const list = JSON.parse(readFileSync(file, 'utf8'));
    const id = path
      .basename(installed)
      .replace(/-\d[^-]*$/, '')
      .toLowerCase();
    const kept = list.filter(
      (e) => String(e?.identifier?.id ?? '').toLowerCase() !== id || e?.relativeLocation === path.basename(installed),
    );
    if (kept.length !== list.length) writeFileSync(file, JSON.stringify(kept));
  } catch {
    /* not ours to fix */
  }
}
