/** Names the scaffold writes into Python and YAML: what each language accepts, and how to quote. */

/** An `az ml` binding such as `${{inputs.data}}`, written here so templates need no `$` escapes. */
export function binding(reference: string): string {
  return '${{' + reference + '}}';
}

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/**
 * Why `name` cannot name an entry script, or undefined when it can. The worker imports the script as a
 * module named after its stem, so the name must be a Python identifier.
 */
export function entryScriptNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Give the script a name, e.g. score.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `"${name}" is not a Python module name: use letters, digits and _ (not first a digit), e.g. batch_score.`;
  if (PYTHON_KEYWORDS.has(name)) return `"${name}" is a Python keyword; choose another name.`;
  return undefined;
}

/** The pipeline node name for a script name: azure-ai-ml wants a lower-case Python identifier. */
export function nodeNameFor(scriptName: string): string {
  const name = scriptName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

/**
 * A YAML scalar for `text`: plain when it surely reads back as the same string, else double-quoted.
 * Conservative on purpose (no YAML library here: this runs in the activation bundle), and strict enough for
 * YAML 1.1 readers too, where `yes`, `on` or `1:30` are not strings.
 */
export function yamlString(text: string): string {
  // A JSON string is a valid YAML double-quoted scalar.
  return readsBackPlain(text) ? text : JSON.stringify(text);
}

const PLAIN = /^[A-Za-z_./~][A-Za-z0-9_./~@:+ -]*$/;
const SPECIAL = /^(true|false|yes|no|y|n|on|off|null|~)$/i;

function readsBackPlain(text: string): boolean {
  if (!PLAIN.test(text) || SPECIAL.test(text)) return false;
  // `: ` starts a map and ` #` a comment; a trailing `:` or space, or a leading `.5` / `.inf`, reads otherwise.
  return !/: |:$| #|\s$/.test(text) && !/^\.(\d|inf$|nan$)/i.test(text);
}

/** A Python string literal for `text`. */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}
