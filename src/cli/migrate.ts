/** `parallel-run migrate <file.py|file.ipynb> --out DIR`: SDK v1 ParallelRunStep code → a v2 spec and a report. */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { migrateFile, MigrateError } from '../core/scaffold/migrate';
import { checkSpecText } from '../core/spec';
import { promises as fs } from 'node:fs';

export const MIGRATE_USAGE = `Usage:
  parallel-run migrate <file.py|file.ipynb> [--out DIR] [--python PATH] [--force]
      convert Azure ML SDK v1 code (ParallelRunConfig, ParallelRunStep, PythonScriptStep) into a v2
      pipeline: writes pipeline.yml, conda files, MLTables and pipeline.migration.md into DIR
      (default: <file's folder>/<file name>-v2)`;

export async function migrateMain(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        python: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${MIGRATE_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(MIGRATE_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`${MIGRATE_USAGE}\n`);
    return 2;
  }
  const file = path.resolve(positionals[0]);
  const outDir = values.out
    ? path.resolve(values.out)
    : path.join(path.dirname(file), `${path.basename(file).replace(/\.(py|ipynb)$/i, '')}-v2`);
  try {
    const result = await migrateFile(file, { outDir, python: values.python ?? process.env.PARALLEL_RUN_PYTHON, overwrite: values.force });
    const rel = (f: string) => path.relative(process.cwd(), f) || f;
    for (const f of result.written) process.stdout.write(`wrote ${rel(f)}\n`);
    const manual = result.plan.rows.filter((r) => r.manual).length;
    process.stdout.write(
      `${manual} setting(s) and ${result.plan.scriptChanges.length} entry-script change(s) to do by hand: see ${rel(result.reportFile)}\n`,
    );
    // Say at once if the spec needs more than the report's to-do list (e.g. a value computed at run time).
    const check = checkSpecText(await fs.readFile(result.specFile, 'utf8'), result.specFile, { local: false });
    for (const d of check.diagnostics) {
      process.stderr.write(`${rel(d.location.file)}:${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}\n`);
    }
    process.stdout.write(`Run it here: parallel-run run ${rel(result.specFile)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof MigrateError ? err.message : ((err as Error).stack ?? String(err))}\n`);
    return err instanceof MigrateError ? 2 : 1;
  }
}
