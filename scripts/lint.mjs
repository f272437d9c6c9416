// `npm run lint`: ESLint (eslint.config.mjs), Prettier's check (.prettierrc.json) and flake8 (.flake8) over
// python/ and samples/. Runs all three, then exits 1 if any failed, so one run shows every finding.
// `npm run format` rewrites the files Prettier would change (`npm run lint -- --fix` also applies ESLint's fixes).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fix = process.argv.includes('--fix');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const steps = [
  { name: 'eslint', cmd: bin('eslint'), args: ['--max-warnings', '0', ...(fix ? ['--fix'] : []), '.'] },
  { name: 'prettier', cmd: bin('prettier'), args: [fix ? '--write' : '--check', '--log-level', 'warn', '.'] },
  {
    name: 'flake8',
    cmd: 'flake8',
    args: ['python', 'samples'],
    missing: 'flake8 is not installed: run `sudo apt-get install -y flake8` (scripts/setup.sh installs it).',
  },
];

const failed = [];
for (const step of steps) {
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error?.code === 'ENOENT') {
    console.error(`lint: ${step.missing ?? `${step.cmd} not found: run npm ci`}`);
    failed.push(step.name);
  } else if (r.status !== 0) {
    console.error(`lint: ${step.name} found problems (${seconds} s)${step.name === 'prettier' ? ': run `npm run format`' : ''}`);
    failed.push(step.name);
  } else {
    console.log(`lint: ${step.name} clean (${seconds} s)`);
  }
}
if (failed.length) {
  console.error(`lint failed: ${failed.join(', ')}`);
  process.exit(1);
}
