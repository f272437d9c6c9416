// `npm run bench [-- p1 p2 p3 p4 --quick]`: builds, then runs the benchmarks (bench/index.ts).
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build, pythonEnv, root } from './python-env.mjs';

build();
const r = spawnSync(process.execPath, [path.join(root, 'out', 'bench', 'index.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: pythonEnv(),
});
process.exit(r.status ?? 1);
