/** A command node's command as the cloud runs it: `${{…}}` replaced by values and paths, `$[[…]]` resolved. */
import { bindingTarget } from '../spec/bindings';

const BINDING = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const OPTIONAL = /\$\[\[(.*?)\]\]/gs;

/**
 * Replaces `${{inputs.x}}` by `inputs[x]` and `${{outputs.y}}` by `outputs[y]`. A `$[[…]]` part is dropped
 * when an input inside it has no value, and kept without its brackets otherwise (az ml's optional inputs).
 * Values go in as text, unquoted, as the cloud substitutes them.
 */
export function bindCommand(
  command: string,
  inputs: Readonly<Record<string, string | undefined>>,
  outputs: Readonly<Record<string, string>>,
): string {
  const withOptionals = command.replace(OPTIONAL, (_whole, inner: string) => {
    const missing = [...inner.matchAll(BINDING)].some((m) => {
      const target = bindingTarget(m[1]);
      return target.scope === 'inputs' && inputs[target.name] === undefined;
    });
    return missing ? '' : inner;
  });
  return withOptionals.replace(BINDING, (whole, inner: string) => {
    const target = bindingTarget(inner);
    if (target.scope === 'inputs' && inputs[target.name] !== undefined) return inputs[target.name]!;
    if (target.scope === 'outputs' && Object.hasOwn(outputs, target.name)) return outputs[target.name];
    return whole;
  });
}

/** The text an input gives a command: its local path, or its value as Python prints it (True/False). */
export function inputText(input: { path?: string; value?: string | number | boolean }): string | undefined {
  if (input.path !== undefined) return input.path;
  if (typeof input.value === 'boolean') return input.value ? 'True' : 'False';
  return input.value === undefined ? undefined : String(input.value);
}
