/** Outputs of a pipeline or a node: where results go, as far as the YAML says. */
import type { SpecContext } from './context';
import { describeBinding, wholeBinding } from './bindings';
import { OUTPUT_KEYS } from './fields';
import { checkKeys } from './keys';
import { isRemoteReference, localPathOf } from './local-files';
import { didYouMean } from './suggest';
import type { ResolvedOutput } from './types';
import { stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

export interface BoundOutput extends ResolvedOutput {
  origin: YamlNode;
}

export interface OutputScope {
  ctx: SpecContext;
  /** The pipeline's outputs, for `${{parent.outputs.x}}`; undefined outside a pipeline node. */
  parentOutputs?: Map<string, BoundOutput>;
  declaredType?: string;
}

export function readOutputs(map: YamlMap | undefined, scopeFor: (name: string) => OutputScope): Map<string, BoundOutput> {
  const outputs = new Map<string, BoundOutput>();
  for (const entry of map?.entries ?? []) outputs.set(entry.key, readOutput(entry.key, entry.value, scopeFor(entry.key)));
  return outputs;
}

export function readOutput(name: string, node: YamlNode, scope: OutputScope): BoundOutput {
  const type = scope.declaredType ?? 'uri_folder';
  if (node.kind === 'map') return outputFromMap(name, node, scope);
  if (node.kind === 'scalar' && node.value === null) return { name, type, origin: node };
  const target = node.kind === 'scalar' ? wholeBinding(node.value) : undefined;
  if (target?.scope === 'parent.outputs' && scope.parentOutputs) {
    const parent = scope.parentOutputs.get(target.name);
    if (parent) return { ...parent, name, type: scope.declaredType ?? parent.type, origin: node };
    scope.ctx.findings.error(
      'unknown-binding',
      node.loc,
      `Output \`${name}\` binds ${describeBinding(target)}, but the pipeline has no output \`${target.name}\`.${didYouMean(target.name, [...scope.parentOutputs.keys()])}`,
      `Declare \`${target.name}\` under the pipeline's \`outputs:\`, or bind an existing one.`,
    );
    return { name, type, origin: node };
  }
  const written = target ? describeBinding(target) : node.kind === 'scalar' ? String(node.value) : 'a list';
  scope.ctx.findings.error(
    target ? 'unknown-binding' : 'wrong-type',
    node.loc,
    `Output \`${name}\` is ${written}; an output is empty, \`\${{parent.outputs.x}}\` or {type, mode, path}.`,
    'Leave it empty (`name:`), bind a pipeline output, or write `{type: uri_folder, mode: rw_mount}`.',
  );
  return { name, type, origin: node };
}

function outputFromMap(name: string, map: YamlMap, scope: OutputScope): BoundOutput {
  checkKeys(map, OUTPUT_KEYS, `output \`${name}\``, scope.ctx.findings);
  const out: BoundOutput = {
    name,
    type: stringOf(valueOf(map, 'type')) ?? scope.declaredType ?? 'uri_folder',
    origin: map,
  };
  const mode = stringOf(valueOf(map, 'mode'));
  if (mode !== undefined) out.mode = mode;
  const pathNode = valueOf(map, 'path');
  const text = stringOf(pathNode);
  if (pathNode && text !== undefined)
    out.path = isRemoteReference(text) || wholeBinding(text) ? text.trim() : localPathOf(text, pathNode, scope.ctx.cwd);
  return out;
}

export function publicOutput(output: BoundOutput): ResolvedOutput {
  const out: ResolvedOutput = { name: output.name, type: output.type };
  if (output.mode !== undefined) out.mode = output.mode;
  if (output.path !== undefined) out.path = output.path;
  return out;
}
