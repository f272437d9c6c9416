/**
 * SDK v1 code as Python's own parser sees it: `python -m prs_worker.v1_source FILE` prints the file's
 * statements and calls as JSON (python/prs_worker/v1_source.py). Nothing in the file runs.
 */
import { execFile } from 'node:child_process';
import { workerPackageDir } from '../../local/environment';

/** Where something is written: line (1-based) in the file, or in a notebook's code cell (1-based). */
export interface At {
  line: number;
  col: number;
  cell?: number;
}

export type Expr = { at: At } & (
  | { k: 'const'; v: string | number | boolean | null }
  | { k: 'name'; id: string }
  | { k: 'dotted'; path: string }
  | { k: 'attr'; value: Expr; attr: string }
  | { k: 'call'; func: Expr; args: Expr[]; kwargs: Record<string, Expr>; star: boolean; src: string }
  | { k: 'list'; items: Expr[] }
  | { k: 'dict'; items: [Expr, Expr][] }
  | { k: 'subscript'; value: Expr; index: Expr }
  | { k: 'other'; src: string }
);

export interface Statement {
  kind: 'assign' | 'expr';
  /** Dotted target of an assignment: `x`, `env.docker.base_image`. */
  target?: string;
  value: Expr;
  /** The function (or class) it sits in; null at module level. */
  scope: string | null;
  at: At;
}

export interface CallSite {
  func: string;
  src: string;
  call: Expr;
  at: At;
}

export interface V1Source {
  file: string;
  notebook: boolean;
  statements: Statement[];
  calls: CallSite[];
  imports: { module: string; name: string | null; at: At }[];
  /** `%%writefile name` cells of a notebook. */
  writtenFiles: { name: string; text: string; at: At }[];
  /** Magics and shell lines left out of parsing. */
  skipped: { text: string; at: At }[];
  syntaxErrors: { message: string; at: At }[];
}

/** Parses `file` with `python` (default python3) and returns what it holds; rejects with a readable reason. */
export function readV1Source(file: string, python = 'python3'): Promise<V1Source> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      // -I: no user site, no PYTHONPATH, not the current folder: only the worker package is imported.
      [
        '-I',
        '-c',
        'import sys; sys.path.insert(0, sys.argv.pop(1)); from prs_worker.v1_source import main; sys.exit(main(sys.argv[1:]))',
        workerPackageDir(),
        file,
      ],
      { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`The Python interpreter \`${python}\` is not on PATH. Give one with --python /path/to/python.`));
          return;
        }
        if (err) {
          reject(new Error(stderr.trim() || `${python} could not parse ${file}: ${err.message}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as V1Source);
        } catch (e) {
          reject(new Error(`${python} printed something other than the parse of ${file}: ${(e as Error).message}`));
        }
      },
    );
  });
}

/** `file:12` or `file, cell 3, line 4`, as the report and messages write a place. */
export function describeAt(file: string, at: At): string {
  return at.cell !== undefined ? `${file}, cell ${at.cell}, line ${at.line}` : `${file}:${at.line}`;
}
