/**
 * Expands a VS Code snippet body the way the editor does when the user accepts every default: placeholders
 * take their default text (mirrors repeat it), choices their first option, variables their value.
 */

export function expandSnippet(body: string | string[], variables: Record<string, string> = {}, indent = '    '): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const values = new Map<string, string>();
  let i = 0;

  const parse = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\\' && '$}\\'.includes(text[i + 1] ?? '')) {
        out += text[i + 1];
        i += 2;
      } else if (ch === '}' && inPlaceholder) {
        return out;
      } else if (ch === '$') {
        out += dollar();
      } else {
        out += ch;
        i++;
      }
    }
    if (inPlaceholder) throw new Error(`unclosed placeholder in ${JSON.stringify(text)}`);
    return out;
  };

  const dollar = (): string => {
    const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (simple) {
      i += simple[0].length;
      return valueOf(simple[1], undefined);
    }
    if (text[i + 1] !== '{') {
      i++;
      return '$';
    }
    const name = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (!name) throw new Error(`bad placeholder at ${i}: ${text.slice(i, i + 20)}`);
    i += name[0].length;
    const next = text[i];
    if (next === '}') {
      i++;
      return valueOf(name[1], undefined);
    }
    if (next === ':') {
      i++;
      const inner = parse(true);
      i++; // the closing brace
      return valueOf(name[1], inner);
    }
    if (next === '|') {
      const end = text.indexOf('|}', i);
      if (end < 0) throw new Error('unclosed choice');
      const first = text.slice(i + 1, end).split(',')[0];
      i = end + 2;
      return valueOf(name[1], first);
    }
    throw new Error(`bad placeholder at ${i}: ${text.slice(i - 5, i + 20)}`);
  };

  const valueOf = (name: string, fallback: string | undefined): string => {
    if (/^\d+$/.test(name)) {
      if (!values.has(name) && fallback !== undefined) values.set(name, fallback);
      return values.get(name) ?? '';
    }
    // VS Code inserts an unknown variable's name: a `$schema` left unescaped would show up as `schema`.
    return variables[name] ?? fallback ?? name;
  };

  return parse(false).replace(/\t/g, indent);
}

/** Indents every non-empty line by `spaces`. */
export function indented(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(spaces) + l))
    .join('\n');
}
