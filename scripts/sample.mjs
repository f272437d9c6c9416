// README command 1: make the digits sample's data and model, build the CLI, run the sample locally.
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build, ensureSampleData, pythonEnv, root } from './python-env.mjs';

const name = process.argv[2] ?? 'digits';
ensureSampleData(name);
build({ typescript: false });
const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'run', path.join(root, 'samples', name, 'pipeline.yml'), ...process.argv.slice(3)], {
  stdio: 'inherit',
  env: pythonEnv(),
});
process.exit(r.status ?? 1);
