/** `${{…}}` data-binding expressions of az ml v2 YAML: which port of which scope a value points at. */

export type BindingScope = 'inputs' | 'outputs' | 'parent.inputs' | 'parent.outputs';

export type BindingTarget =
  | { scope: BindingScope; name: string }
  /** Another step's port, e.g. `${{parent.jobs.prep.outputs.data}}`: only exists once that step ran. */
  | { scope: 'parent.jobs'; job: string; port: 'inputs' | 'outputs'; name: string }
  | { scope: 'unknown'; expression: string };

export interface BindingMatch {
  /** The whole expression as written, `${{ inputs.x }}` included. */
  text: string;
  index: number;
  target: BindingTarget;
}

// The SDK allows blanks inside the braces (`${{ inputs.x }}`).
const BINDING = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const NAME = '[A-Za-z_][\\w-]*';
const PORT = new RegExp(`^(parent\\.inputs|parent\\.outputs|inputs|outputs)\\.(${NAME})$`);
const JOB_PORT = new RegExp(`^parent\\.jobs\\.(${NAME})\\.(inputs|outputs)\\.(${NAME})$`);

export function bindingTarget(expression: string): BindingTarget {
  const port = PORT.exec(expression);
  if (port) return { scope: port[1] as BindingScope, name: port[2] };
  const job = JOB_PORT.exec(expression);
  if (job) return { scope: 'parent.jobs', job: job[1], port: job[2] as 'inputs' | 'outputs', name: job[3] };
  return { scope: 'unknown', expression };
}

/** Every binding inside a string, in order. */
export function findBindings(text: string): BindingMatch[] {
  return [...text.matchAll(BINDING)].map((m) => ({ text: m[0], index: m.index ?? 0, target: bindingTarget(m[1]) }));
}

/** The binding a whole value consists of (`${{parent.inputs.x}}`), or undefined for anything else. */
export function wholeBinding(value: unknown): BindingTarget | undefined {
  if (typeof value !== 'string') return undefined;
  const matches = findBindings(value.trim());
  return matches.length === 1 && matches[0].text === value.trim() ? matches[0].target : undefined;
}

export function isBinding(value: unknown): boolean {
  return typeof value === 'string' && findBindings(value).length > 0;
}

export function describeBinding(target: BindingTarget): string {
  if (target.scope === 'unknown') return `\${{${target.expression}}}`;
  if (target.scope === 'parent.jobs') return `\${{parent.jobs.${target.job}.${target.port}.${target.name}}}`;
  return `\${{${target.scope}.${target.name}}}`;
}

/** Drops the blanks inside `${{ … }}` so a shell-like split keeps each binding in one token. */
export function compactBindings(text: string): string {
  return text.replace(BINDING, (_whole, inner: string) => `\${{${inner.replace(/\s+/g, '')}}}`);
}

/**
 * Replaces the `${{outputs.x}}` left in program arguments by the output folders the engine chose.
 * Bindings to outputs missing from `outputDirs` stay as written, so the gap shows in the worker's argv.
 */
export function bindOutputs(args: string[], outputDirs: Record<string, string>): string[] {
  return args.map((arg) =>
    arg.replace(BINDING, (whole, inner: string) => {
      const target = bindingTarget(inner);
      const dir = target.scope === 'outputs' && Object.hasOwn(outputDirs, target.name) ? outputDirs[target.name] : undefined;
      return dir ?? whole;
    }),
  );
}
