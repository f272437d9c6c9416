/**
 * Scalar fields of a node, which may also be bound to a literal input (`mini_batch_size:
 * ${{parent.inputs.batch_size}}`, the v2 form of v1's PipelineParameter).
 */
import type { SpecContext } from './context';
import { describeBinding, wholeBinding } from './bindings';
import type { BoundInput } from './inputs';
import { didYouMean } from './suggest';
import type { YamlMap, YamlNode } from './yaml-source';

export interface FieldValue {
  value: string | number | boolean;
  /** Where it is written in the node (the binding, when bound). */
  node: YamlNode;
  /** The binding it came through, for messages. */
  via?: string;
}

export interface ValueScope {
  ctx: SpecContext;
  nodeInputs: Map<string, BoundInput>;
  parentInputs?: Map<string, BoundInput>;
}

export function nodeAt(map: YamlMap, dotted: string): YamlNode | undefined {
  let current: YamlNode | undefined = map;
  for (const key of dotted.split('.')) {
    if (!current || current.kind !== 'map') return undefined;
    current = current.entries.find((e) => e.key === key)?.value;
  }
  return current && !(current.kind === 'scalar' && current.value === null) ? current : undefined;
}

/** The literal value of a scalar field, following a binding to a literal input; undefined when unset. */
export function fieldValue(map: YamlMap, dotted: string, scope: ValueScope): FieldValue | undefined {
  const node = nodeAt(map, dotted);
  if (!node) return undefined;
  if (node.kind !== 'scalar' || node.value === null) {
    scope.ctx.findings.error(
      'wrong-type',
      node.loc,
      `\`${dotted}\` must be a single value, not a ${node.kind === 'map' ? 'map' : 'list'}.`,
      `Write \`${dotted}: <value>\`.`,
    );
    return undefined;
  }
  const target = wholeBinding(node.value);
  if (!target) return { value: node.value, node };
  const via = describeBinding(target);
  const inputs = target.scope === 'parent.inputs' ? scope.parentInputs : target.scope === 'inputs' ? scope.nodeInputs : undefined;
  const name = target.scope === 'parent.inputs' || target.scope === 'inputs' ? target.name : '';
  const input = inputs?.get(name);
  if (!input) {
    const known = inputs ? ` There is no input \`${name}\`.${didYouMean(name, [...inputs.keys()])}` : '';
    scope.ctx.findings.error(
      'unknown-binding',
      node.loc,
      `\`${dotted}\` binds ${via}, which is not a literal input here.${known}`,
      'Bind a literal pipeline input (`${{parent.inputs.x}}` with `x: 5` under the pipeline inputs), or write the value.',
    );
    return undefined;
  }
  if (input.type !== 'literal' || input.value === undefined) {
    scope.ctx.findings.error(
      'binding-type',
      node.loc,
      `\`${dotted}\` binds ${via}, which is ${input.type === 'literal' ? 'declared without a value' : `a ${input.type} input, not a value`}.`,
      'Bind an input that holds a number or a string, e.g. `batch_size: 10` under the pipeline inputs.',
    );
    return undefined;
  }
  return { value: input.value, node, via };
}

export interface IntegerRule {
  rule: string;
  min: number;
  /** What the value means, for the message: `failed items allowed`. */
  meaning: string;
}

/** An integer field at least `min`; anything else is reported under `rule`. */
export function integerField(map: YamlMap, dotted: string, scope: ValueScope, rule: IntegerRule): number | undefined {
  const field = fieldValue(map, dotted, scope);
  if (!field) return undefined;
  const n = toInteger(field.value);
  if (n === undefined || n < rule.min) {
    const from = field.via ? ` (from ${field.via})` : '';
    const expected = n === undefined ? 'must be an integer' : `must be ${rule.min} or more`;
    scope.ctx.findings.error(
      rule.rule,
      field.node.loc,
      `\`${dotted}\` is ${JSON.stringify(field.value)}${from}: it ${expected} (${rule.meaning}).`,
      `Set \`${dotted}\` to an integer ≥ ${rule.min}.`,
    );
    return undefined;
  }
  return n;
}

export function toInteger(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}
