/**
 * Does a Python file look like a parallel entry script? A module-level `def run(mini_batch)` or
 * `def run(mini_batch, mini_batch_context)`: the driver calls run() with one or two positional arguments.
 * Plain text, no parsing: this runs on every Python file the editor shows, so it must stay cheap.
 */

const RUN_DEF = /^(?:async[ \t]+)?def[ \t]+run[ \t]*\(/gm;
const PARAMETER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The 0-based line of the module-level `def run(...)` taking one or two parameters, or undefined. */
export function entryScriptRunLine(text: string): number | undefined {
  for (const match of text.matchAll(RUN_DEF)) {
    const params = parameterList(text, match.index + match[0].length);
    if (params && params.length >= 1 && params.length <= 2 && params.every(isPlainParameter)) {
      return lineOf(text, match.index);
    }
  }
  return undefined;
}

/** Top-level comma-separated parameters from `start` (just after `(`) to the matching `)`. */
function parameterList(text: string, start: number): string[] | undefined {
  const params: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < text.length && i < start + 2000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ')') {
      if (current.trim() !== '') params.push(current.trim());
      return params;
    } else if (c === ',' && depth === 0) {
      params.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  return undefined;
}

/** `mini_batch`, `mini_batch: list[str]`, `context=None`; not `self`, `*args` or `**kwargs`. */
function isPlainParameter(param: string): boolean {
  const name = param.split(/[:=]/)[0].replace(/#.*$/gm, '').trim();
  return PARAMETER.test(name) && name !== 'self';
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
