/** Legal v2 names: node keys, inputs and outputs are identifiers (`predict-digits-mnist` → `predict_digits_mnist`). */

/** A v2 input/output name for a v1 name: letters, digits and `_`, not starting with a digit. */
export function v2Name(v1: string, fallback = 'step'): string {
  let name = v1
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name) name = fallback;
  if (/^[0-9]/.test(name)) name = `${fallback}_${name}`;
  return name;
}

/** A v2 node name: azure-ai-ml's rule is lower-case, `^[a-z_][a-z0-9_]*$` (docs/semantics.md). */
export function v2NodeName(v1: string): string {
  return v2Name(v1, 'step').toLowerCase();
}

/** `name`, or `name_2`, `name_3`… when taken. */
export function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}_${i}`;
  taken.add(candidate);
  return candidate;
}
