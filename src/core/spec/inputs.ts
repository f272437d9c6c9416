/**
 * Inputs of a pipeline or a node: literals, `{type, path, mode}` data, and bindings to the pipeline's
 * inputs, resolved to what a local run reads (absolute paths, literal values) or a cloud reference.
 */
import type { SpecContext } from './context';
import { describeBinding, wholeBinding, type BindingTarget } from './bindings';
import { INPUT_KEYS, INPUT_TYPES, LITERAL_INPUT_TYPES } from './fields';
import { isRemoteReference, localPathOf, pathKind } from './local-files';
import { checkKeys } from './keys';
import { didYouMean } from './suggest';
import type { ResolvedInput } from './types';
import { OVERRIDE_FILE, stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

export interface BoundInput extends ResolvedInput {
  /** The YAML value it was read from, for diagnostics. */
  origin: YamlNode;
  /** Where its local path is written (the pipeline input's `path:` when bound through the pipeline). */
  pathNode?: YamlNode;
  /** The pipeline input it comes from, so fixes can name `--set inputs.<name>.path=…`. */
  pipelineInput?: string;
  /** Another step's output (`${{parent.jobs.prep.outputs.x}}`): exists only once that step ran. */
  upstream?: string;
  /** Declared without a value or a path. */
  unbound?: boolean;
  /** Already reported as broken: uses of it stay quiet rather than repeat the error. */
  reported?: boolean;
  /** How `--set` reaches this input's path when it is the node's own: `jobs.<node>.inputs.<name>.path`. */
  setPath?: string;
}

export interface InputScope {
  ctx: SpecContext;
  /** The pipeline's inputs, for `${{parent.inputs.x}}`; undefined outside a pipeline node. */
  parentInputs?: Map<string, BoundInput>;
  /** The type a component declares for this input, when the value itself does not say. */
  declaredType?: string;
  /** How `--set` names this input's path in fixes: `inputs.x.path` or `jobs.node.inputs.x.path`. */
  setPath?: string;
  /** Outputs of the pipeline's nodes (node -> output -> type), for `${{parent.jobs.<node>.outputs.<o>}}`. */
  nodeOutputs?: Map<string, Map<string, string>>;
}

const DATA_TYPES = ['uri_folder', 'uri_file', 'mltable', 'custom_model', 'mlflow_model'];

export function isDataType(type: string | undefined): boolean {
  return type !== undefined && DATA_TYPES.includes(type);
}

/** Reads every entry of an `inputs:` map. */
export function readInputs(map: YamlMap | undefined, scopeFor: (name: string) => InputScope): Map<string, BoundInput> {
  const inputs = new Map<string, BoundInput>();
  for (const entry of map?.entries ?? []) inputs.set(entry.key, readInput(entry.key, entry.value, scopeFor(entry.key)));
  return inputs;
}

export function readInput(name: string, node: YamlNode, scope: InputScope): BoundInput {
  const input = readInputValue(name, node, scope);
  if (scope.setPath !== undefined && input.setPath === undefined) input.setPath = scope.setPath;
  return input;
}

function readInputValue(name: string, node: YamlNode, scope: InputScope): BoundInput {
  if (node.kind === 'map') return inputFromMap(name, node, scope);
  if (node.kind === 'seq') {
    scope.ctx.findings.error(
      'wrong-type',
      node.loc,
      `Input \`${name}\` is a list; an input is a value, a binding or {type, path}.`,
      'Write a single value, `${{parent.inputs.x}}`, or a map with `type` and `path`.',
    );
    return { name, type: 'literal', origin: node, unbound: true, reported: true };
  }
  if (node.value === null) return { name, type: unboundType(scope.declaredType), origin: node, unbound: true };
  const target = wholeBinding(node.value);
  if (target) return bindInput(name, target, node, scope);
  return literalInput(name, node, node.value, scope);
}

function unboundType(declaredType: string | undefined): ResolvedInput['type'] {
  if (declaredType === undefined) return 'uri_folder';
  return isDataType(declaredType) ? (declaredType as ResolvedInput['type']) : 'literal';
}

function literalInput(name: string, node: YamlNode, value: string | number | boolean, scope: InputScope): BoundInput {
  // A bare string where the component declares data is that data's path.
  if (isDataType(scope.declaredType) && typeof value === 'string') {
    return {
      name,
      type: scope.declaredType as ResolvedInput['type'],
      origin: node,
      ...dataLocation(name, value, node, scope),
    };
  }
  return { name, type: 'literal', value, origin: node };
}

function inputFromMap(name: string, map: YamlMap, scope: InputScope): BoundInput {
  checkKeys(map, INPUT_KEYS, `input \`${name}\``, scope.ctx.findings);
  const typeNode = valueOf(map, 'type');
  const written = stringOf(typeNode);
  const pathNode = valueOf(map, 'path');
  const literal = valueOf(map, 'value') ?? valueOf(map, 'default');
  const mode = stringOf(valueOf(map, 'mode'));
  if (written !== undefined && !(INPUT_TYPES as readonly string[]).includes(written)) {
    scope.ctx.findings.error(
      'input-type',
      typeNode!.loc,
      `Input \`${name}\` has type \`${written}\`, which parallel jobs do not take.${didYouMean(written, INPUT_TYPES)}`,
      `Use one of: ${INPUT_TYPES.join(', ')}.`,
    );
  }
  const type = written ?? scope.declaredType ?? replacedType(map, scope) ?? (pathNode || !literal ? 'uri_folder' : undefined);
  if (type === undefined || LITERAL_INPUT_TYPES.includes(type)) {
    const value = literal && literal.kind === 'scalar' && literal.value !== null ? literal.value : undefined;
    return { name, type: 'literal', value, mode, origin: literal ?? map, unbound: value === undefined };
  }
  const resolvedType = (isDataType(type) ? type : 'uri_folder') as ResolvedInput['type'];
  if (!pathNode) return { name, type: resolvedType, mode, origin: map, unbound: true };
  const target = wholeBinding(stringOf(pathNode));
  if (target) {
    // A step output with no type written here takes the type that step declares for it.
    const untypedStep = target.scope === 'parent.jobs' && written === undefined && scope.declaredType === undefined;
    const bound = bindInput(name, target, pathNode, { ...scope, declaredType: untypedStep ? undefined : resolvedType });
    const typed = bound.from ? written !== undefined || scope.declaredType !== undefined : bound.typed;
    return { ...bound, type: written ? resolvedType : bound.type, mode: mode ?? bound.mode, typed };
  }
  const text = stringOf(pathNode) ?? '';
  return { name, type: resolvedType, mode, origin: pathNode, ...dataLocation(name, text, pathNode, scope) };
}

/** `--set jobs.n.inputs.x.path=…` over `x: ${{parent.inputs.y}}` keeps y's type (a table stays a table). */
function replacedType(map: YamlMap, scope: InputScope): string | undefined {
  const target = map.replaced?.kind === 'scalar' ? wholeBinding(map.replaced.value) : undefined;
  if (target?.scope === 'parent.jobs') {
    const type = scope.nodeOutputs?.get(target.job)?.get(target.name);
    return isDataType(type) ? type : undefined;
  }
  const parent = target?.scope === 'parent.inputs' ? scope.parentInputs?.get(target.name) : undefined;
  return parent && parent.type !== 'literal' ? parent.type : undefined;
}

function bindInput(name: string, target: BindingTarget, node: YamlNode, scope: InputScope): BoundInput {
  const { ctx, parentInputs } = scope;
  if (target.scope === 'parent.jobs' && target.port === 'outputs') {
    const upstreamType = upstreamOutputType(name, target, node, scope);
    return {
      name,
      type: unboundType(scope.declaredType ?? upstreamType ?? 'uri_folder'),
      origin: node,
      upstream: describeBinding(target),
      from: { node: target.job, output: target.name },
      typed: scope.declaredType !== undefined,
    };
  }
  if (target.scope !== 'parent.inputs' || !parentInputs) {
    const where = parentInputs ? 'a pipeline node' : 'this file';
    ctx.findings.error(
      'unknown-binding',
      node.loc,
      `Input \`${name}\` binds ${describeBinding(target)}, which ${where} cannot refer to.`,
      parentInputs
        ? 'Bind a pipeline input (`${{parent.inputs.x}}`) or a step output (`${{parent.jobs.step.outputs.y}}`).'
        : 'Give the input a value or `{type, path}` here; `${{parent.…}}` only works inside a pipeline.',
    );
    return { name, type: unboundType(scope.declaredType), origin: node, unbound: true, reported: true };
  }
  const parent = parentInputs.get(target.name);
  if (!parent) {
    ctx.findings.error(
      'unknown-binding',
      node.loc,
      `Input \`${name}\` binds ${describeBinding(target)}, but the pipeline has no input \`${target.name}\`.${didYouMean(target.name, [...parentInputs.keys()])}`,
      `Declare \`${target.name}\` under the pipeline's \`inputs:\`, or bind an existing one.`,
    );
    return { name, type: unboundType(scope.declaredType), origin: node, unbound: true, reported: true };
  }
  const bound: BoundInput = { ...parent, name, origin: node, pipelineInput: target.name };
  if (parent.type === 'literal' && isDataType(scope.declaredType) && typeof parent.value === 'string') {
    const located = dataLocation(name, parent.value, parent.origin, {
      ...scope,
      setPath: `inputs.${target.name}.path`,
    });
    return { ...bound, type: scope.declaredType as ResolvedInput['type'], value: undefined, ...located };
  }
  return bound;
}

/** The type of the step output an input binds; a node or output that does not exist is reported here. */
function upstreamOutputType(name: string, target: { job: string; name: string }, node: YamlNode, scope: InputScope): string | undefined {
  const nodes = scope.nodeOutputs;
  if (!nodes) return undefined;
  const outputs = nodes.get(target.job);
  if (!outputs) {
    scope.ctx.findings.error(
      'unknown-binding',
      node.loc,
      `Input \`${name}\` binds an output of step \`${target.job}\`, but the pipeline has no such step.${didYouMean(target.job, [...nodes.keys()])}`,
      `Steps of this pipeline: ${[...nodes.keys()].join(', ')}.`,
    );
    return undefined;
  }
  if (!outputs.has(target.name)) {
    scope.ctx.findings.error(
      'unknown-binding',
      node.loc,
      `Input \`${name}\` binds output \`${target.name}\` of step \`${target.job}\`, which has no such output.${didYouMean(target.name, [...outputs.keys()])}`,
      outputs.size
        ? `Outputs of \`${target.job}\`: ${[...outputs.keys()].join(', ')}.`
        : `Declare the output under \`${target.job}\`'s \`outputs:\`.`,
    );
    return undefined;
  }
  const type = outputs.get(target.name);
  return isDataType(type) ? type : undefined;
}

/** `path` or `remote` of a data input; a local path that does not exist is reported where it is written. */
function dataLocation(
  name: string,
  text: string,
  node: YamlNode,
  scope: InputScope,
): { path?: string; remote?: string; pathNode?: YamlNode } {
  const { ctx } = scope;
  if (isRemoteReference(text)) return { remote: text.trim(), pathNode: node };
  const absolute = localPathOf(text, node, ctx.cwd);
  if (pathKind(absolute) === 'missing') {
    const relativeTo = node.loc.file === OVERRIDE_FILE ? 'the current folder' : "the YAML file's folder";
    ctx.findings.error(
      'input-path-missing',
      node.loc,
      `Input \`${name}\`: ${text} does not exist (looked for ${absolute}).`,
      `Fix the path (relative to ${relativeTo}), or point the input at local data with --set ${scope.setPath ?? `inputs.${name}.path`}=<folder>.`,
    );
  }
  return { path: absolute, pathNode: node };
}

/** The public shape of an input, without the reader's bookkeeping. */
export function publicInput(input: BoundInput): ResolvedInput {
  const out: ResolvedInput = { name: input.name, type: input.type };
  if (input.path !== undefined) out.path = input.path;
  if (input.remote !== undefined) out.remote = input.remote;
  else if (input.upstream !== undefined) out.remote = input.upstream;
  if (input.from !== undefined) {
    out.from = input.from;
    out.typed = input.typed ?? false;
  }
  if (input.value !== undefined) out.value = input.value;
  if (input.mode !== undefined) out.mode = input.mode;
  if (input.optional) out.optional = true;
  return out;
}
