/**
 * `parallel-run migrate`: Azure ML SDK v1 code (a .py file or a notebook) → a v2 pipeline spec, conda
 * files, MLTables and a migration report, written into one folder.
 */
import { promises as fs, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { convert, findSteps, scriptPathOf } from './convert';
import type { MigrationPlan } from './plan';
import { reportText } from './report';
import { readV1Source, type At, type V1Source } from './source';
import { Evaluator } from './values';

export { convert, findSteps } from './convert';
export { readV1Source, type V1Source } from './source';
export { v2Name, v2NodeName } from './names';
export type { MigrationPlan, MappingRow, ScriptChange } from './plan';

export interface MigrateOptions {
  /** Folder to write into (created when missing). */
  outDir: string;
  /** Interpreter whose `ast` parses the code (default python3). */
  python?: string;
  /** Spec file name inside outDir (default pipeline.yml). */
  specName?: string;
  /** Replace files that are already there. */
  overwrite?: boolean;
}

export interface MigrateResult {
  specFile: string;
  reportFile: string;
  /** Every file written, absolute. */
  written: string[];
  plan: MigrationPlan;
}

export class MigrateError extends Error {}

/** Migrates one v1 file; throws MigrateError with a readable reason when it cannot. */
export async function migrateFile(file: string, options: MigrateOptions): Promise<MigrateResult> {
  const sourceFile = path.resolve(file);
  if (!existsSync(sourceFile)) throw new MigrateError(`${file} does not exist.`);
  if (!/\.(py|ipynb)$/i.test(sourceFile)) throw new MigrateError(`${file}: migrate reads a .py file or a .ipynb notebook.`);
  const outDir = path.resolve(options.outDir);
  const source = await readV1Source(sourceFile, options.python);
  const steps = findSteps(source);
  if (steps.length === 0) {
    const hint = source.syntaxErrors.length
      ? ` (${source.syntaxErrors.length} part(s) could not be parsed: ${source.syntaxErrors[0].message})`
      : '';
    throw new MigrateError(
      `${file}: no ParallelRunStep(...) or PythonScriptStep(...) call found${hint}. Point migrate at the file that builds the v1 pipeline.`,
    );
  }
  const { scripts, writtenScripts } = await readEntryScripts(source, sourceFile, steps, options.python);
  const plan = convert(source, { sourceFile, outDir, scripts, writtenScripts });
  const specName = options.specName ?? 'pipeline.yml';
  const specFile = path.join(outDir, specName);
  const reportFile = path.join(outDir, `${path.basename(specName, path.extname(specName))}.migration.md`);
  const outputs: [string, string][] = [
    [specFile, specText(plan, path.basename(sourceFile))],
    [reportFile, reportText(plan, { source: path.basename(sourceFile), spec: specName })],
    ...plan.files.map((f): [string, string] => [path.join(outDir, f.path), f.text]),
  ];
  if (!options.overwrite) {
    const taken = outputs.map(([f]) => f).filter((f) => existsSync(f));
    if (taken.length)
      throw new MigrateError(
        `${taken.map((f) => path.relative(process.cwd(), f) || f).join(', ')} already exist(s): choose another --out folder, or add --force to replace.`,
      );
  }
  for (const [f, text] of outputs) {
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.writeFile(f, text);
  }
  return { specFile, reportFile, written: outputs.map(([f]) => f), plan };
}

/** The YAML text of the spec, with a header saying where it came from. */
export function specText(plan: MigrationPlan, sourceName: string): string {
  const header = `# Migrated from ${sourceName} (Azure ML SDK v1) by \`parallel-run migrate\`; see the .migration.md report beside it.\n`;
  return header + stringify(plan.spec, { lineWidth: 0 });
}

/** Entry scripts of the steps: on disk, or written by a notebook's %%writefile cell. */
async function readEntryScripts(source: V1Source, sourceFile: string, steps: ReturnType<typeof findSteps>, python?: string) {
  const ev = new Evaluator(source);
  const baseDir = path.dirname(sourceFile);
  const scripts = new Map<string, V1Source>();
  const writtenScripts = new Map<string, { text: string; at: At }>();
  for (const step of steps) {
    const where = scriptPathOf(step, ev, baseDir);
    if (!where || scripts.has(where.script)) continue;
    const written = [...source.writtenFiles]
      .reverse()
      .find((w) => path.resolve(baseDir, w.name) === where.script || path.basename(w.name) === path.basename(where.script));
    if (existsSync(where.script)) scripts.set(where.script, await readV1Source(where.script, python));
    else if (written) {
      writtenScripts.set(where.script, { text: written.text, at: written.at });
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'prs-migrate-'));
      try {
        const f = path.join(tmp, path.basename(where.script));
        writeFileSync(f, written.text);
        scripts.set(where.script, { ...(await readV1Source(f, python)), file: where.script });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  return { scripts, writtenScripts };
}
