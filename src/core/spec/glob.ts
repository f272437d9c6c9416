/** MLTable `pattern:` paths: `*`, `?`, `**` and `[…]`, matched against `/`-separated relative paths. */
import * as path from 'path';
import { listFilesRelative, pathKind } from './local-files';

const GLOB_CHARS = /[*?[]/;

export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        source += `[${pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Absolute paths of the files under `baseDir` that `pattern` matches, in sorted relative-path order. */
export function globFiles(baseDir: string, pattern: string): string[] {
  const segments = pattern
    .replace(/\\/g, '/')
    .split('/')
    .filter((s, i) => !(s === '.' && i === 0) && s !== '');
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const fixed = firstGlob < 0 ? segments : segments.slice(0, firstGlob);
  const root = path.resolve(baseDir, ...fixed);
  if (firstGlob < 0) return pathKind(root) === 'file' ? [root] : [];
  if (pathKind(root) !== 'folder') return [];
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
  return listFilesRelative(root)
    .filter((relative) => matcher.test(relative))
    .map((relative) => path.join(root, relative));
}
