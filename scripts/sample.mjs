// README command 1: make the digits sample's data and model, build the CLI, run the sample locally.
// Usage: npm run sample [-- [NAME] [--vscode] [CLI options…]]   (NAME: a folder of samples/, default digits)
//   --vscode  then also open the sample in VS Code (code-server, in your browser) with the extension
//             installed, until Ctrl-C: see scripts/vscode-host/open.mjs.
//   --azure   instead: the Azure ML view against the local test bed (fake ARM + Azurite), no account needed;
//             the same as `npm run try-azure` (scripts/try-azure.mjs).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { build, ensureSampleData, pythonEnv, root } from './python-env.mjs';

const args = process.argv.slice(2);
// --azure: the Azure side instead, against the local test bed (scripts/try-azure.mjs, also `npm run try-azure`).
if (args.includes('--azure')) {
  await import('./try-azure.mjs');
} else {
  await runSample();
}

async function runSample() {
  const vscode = args.includes('--vscode');
  const rest = args.filter((a) => a !== '--vscode');
  const name = rest[0] && !rest[0].startsWith('-') ? rest.shift() : 'digits';

  ensureSampleData(name);
  build({ typescript: false });
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'dist', 'cli.js'), 'run', path.join(root, 'samples', name, 'pipeline.yml'), ...rest],
    {
      stdio: 'inherit',
      env: pythonEnv(),
    },
  );
  if (!vscode || r.status !== 0) process.exit(r.status ?? 1);
  const { openInVsCode } = await import('./vscode-host/open.mjs');
  await openInVsCode(path.join(root, 'samples', name));
}
