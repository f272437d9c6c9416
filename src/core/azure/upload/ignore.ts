// Which files of a folder are uploaded: `.amlignore`, else `.gitignore`, in each directory (azure-ai-ml's rule:
// `.amlignore` wins over `.gitignore`), with git's pattern syntax (gitignore(5)).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One compiled line of an ignore file. */
export interface IgnoreRule {
  /** The line as written, for messages. */
  source: string;
  /** `!pattern`: re-includes what an earlier pattern excluded. */
  negate: boolean;
  /** `pattern/`: matches directories only. */
  dirOnly: boolean;
  regex: RegExp;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A glob of gitignore(5) → the body of a regular expression over `/`-separated relative paths. */
function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length;) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2];
        if (atSegmentStart && after === '/') {
          re += '(?:.*/)?'; // `**/`: zero or more directories
          i += 3;
          continue;
        }
        if (atSegmentStart && after === undefined) {
          re += '.*'; // trailing `/**`: everything inside
          i += 2;
          continue;
        }
        re += '[^/]*'; // `**` elsewhere is a plain `*`
        i += 2;
        continue;
      }
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!' || glob[j] === '^') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        re += '\\[';
        i++;
        continue;
      }
      let body = glob.slice(i + 1, j);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      const cls = body.replace(/\\(.)/g, '$1').replace(/[\\\]^]/g, (m) => `\\${m}`);
      re += negated ? `[^/${cls}]` : `(?!/)[${cls}]`;
      i = j + 1;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeChar(glob[i + 1]);
      i += 2;
    } else {
      re += escapeChar(c);
      i++;
    }
  }
  return re;
}

/** Compiles one line of an ignore file; undefined for blank lines and comments. */
export function compileIgnoreLine(line: string): IgnoreRule | undefined {
  const source = line;
  // Trailing spaces are dropped unless escaped with a backslash.
  let p = line.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
  if (p === '' || p.startsWith('#')) return undefined;
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) {
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return undefined;
  // A slash at the start or in the middle anchors the pattern to the ignore file's folder.
  const anchored = p.includes('/');
  p = p.replace(/^\/+/, '');
  const body = globToRegex(p);
  return { source, negate, dirOnly, regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`) };
}

export function compileIgnoreFile(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map(compileIgnoreLine)
    .filter((r): r is IgnoreRule => r !== undefined);
}

/** What the last matching rule says about `rel` (a path relative to the rules' folder): true ignored, false kept, undefined no rule matched. */
export function ruleVerdict(rules: IgnoreRule[], rel: string, isDir: boolean): boolean | undefined {
  let verdict: boolean | undefined;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.regex.test(rel)) verdict = !r.negate;
  }
  return verdict;
}

/** The ignore file that rules a folder: `.amlignore` when it has one, else `.gitignore`, else none. */
export function ignoreFileOf(dir: string): string | undefined {
  for (const name of ['.amlignore', '.gitignore']) {
    const f = path.join(dir, name);
    if (existsSync(f)) return f;
  }
  return undefined;
}

/**
 * The ignore rules in force while walking a tree: each folder's own file adds rules for paths below it; the
 * deepest matching rule wins, as in git. A folder that is ignored is not entered, so nothing under it can be
 * re-included (git's rule too).
 */
export class IgnoreStack {
  private constructor(private readonly levels: { dir: string; rules: IgnoreRule[] }[]) {}

  static root(): IgnoreStack {
    return new IgnoreStack([]);
  }

  /** This stack plus the ignore file of `dir`, if it has one. */
  enter(dir: string): IgnoreStack {
    const file = ignoreFileOf(dir);
    if (!file) return this;
    return new IgnoreStack([...this.levels, { dir, rules: compileIgnoreFile(readFileSync(file, 'utf8')) }]);
  }

  ignores(absPath: string, isDir: boolean): boolean {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const { dir, rules } = this.levels[i];
      const rel = path.relative(dir, absPath).split(path.sep).join('/');
      const v = ruleVerdict(rules, rel, isDir);
      if (v !== undefined) return v;
    }
    return false;
  }
}
