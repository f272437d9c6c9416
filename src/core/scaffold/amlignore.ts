/**
 * `task.code: .` snapshots the spec's whole folder when the job is submitted: without an `.amlignore` that
 * would upload the local runs and the input data with the code. A scaffold that writes `code: .` writes
 * (or completes) one beside the spec.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const AMLIGNORE = '.amlignore';

/** The lines the snapshot must leave out: the local runs, and the data and model folders inside `specDir`. */
export function amlignoreLines(specDir: string, inside: string[] = []): string[] {
  const lines = ['.parallel-run/', '__pycache__/', '.venv/'];
  for (const p of inside) {
    const abs = path.resolve(specDir, p);
    const rel = path.relative(specDir, abs).split(path.sep).join('/');
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) lines.push(`${rel}${isFileLike(rel) ? '' : '/'}`);
  }
  return [...new Set(lines)];
}

/** Writes `<specDir>/.amlignore`, or adds the lines it lacks to an existing one. Resolves with its path. */
export async function writeAmlignore(specDir: string, inside: string[] = []): Promise<string> {
  const file = path.join(specDir, AMLIGNORE);
  const wanted = amlignoreLines(specDir, inside);
  let existing = '';
  try {
    existing = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = wanted.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, '')));
  if (missing.length === 0) return file;
  const head = existing
    ? existing.endsWith('\n')
      ? ''
      : '\n'
    : '# Left out of the code snapshot az ml uploads for task.code: . (local runs, data, caches)\n';
  await fs.writeFile(file, `${existing}${head}${missing.join('\n')}\n`);
  return file;
}

function isFileLike(rel: string): boolean {
  return /\.[A-Za-z0-9]{1,8}$/.test(rel);
}
