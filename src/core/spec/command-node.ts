/**
 * One `type: command` node of a pipeline (inline `command:` + `code:`, or a command component file):
 * its command with the bindings checked, its ports, and the cloud-only fields a local run leaves out.
 */
import type { SpecContext } from './context';
import { describeBinding, findBindings } from './bindings';
import { readCodeFolder } from './code-folder';
import { checkKeys } from './keys';
import { publicInput, type BoundInput } from './inputs';
import { publicOutput } from './outputs';
import { readNodeInputs, readNodeOutputs, type NodeSource, type PipelinePorts } from './parallel-node';
import { didYouMean } from './suggest';
import { readEnvironmentVariables } from './task';
import type { CommandJob } from './types';
import { locationWithin, stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

/** Keys of a command node and of a command component (azure-ai-ml's CommandSchema and CommandComponentSchema). */
export const COMMAND_NODE_KEYS = [
  '$schema',
  'type',
  'name',
  'version',
  'display_name',
  'description',
  'tags',
  'properties',
  'experiment_name',
  'is_deterministic',
  'component',
  'command',
  'code',
  'inputs',
  'outputs',
  'environment',
  'environment_variables',
  'compute',
  'resources',
  'distribution',
  'limits',
  'identity',
  'services',
  'queue_settings',
  'instance_count',
  'additional_includes',
];

/** Fields that say where and on what the cloud runs the command: a local run cannot apply them. */
const CLOUD_ONLY = [
  'compute',
  'environment',
  'resources',
  'distribution',
  'limits',
  'identity',
  'services',
  'queue_settings',
  'instance_count',
];

// `$[[ … ]]` wraps the parts of a command that only apply when the optional inputs inside are given.
export const OPTIONAL_SPAN = /\$\[\[(.*?)\]\]/gs;

export function readCommandNode(source: NodeSource, pipeline: PipelinePorts, ctx: SpecContext): CommandJob | undefined {
  const { map } = source;
  checkKeys(map, COMMAND_NODE_KEYS, `command node \`${source.nodeName}\``, ctx.findings);
  const inputs = readNodeInputs(source, pipeline, ctx);
  const outputs = readNodeOutputs(source, pipeline, ctx);
  markOptional(inputs, source.declaredInputs);
  const commandNode = valueOf(map, 'command');
  const command = stringOf(commandNode);
  if (!commandNode || command === undefined || command.trim() === '') {
    ctx.findings.error(
      'missing-field',
      commandNode?.loc ?? source.nodeLocation,
      `Command node \`${source.nodeName}\` has no \`command\` to run.`,
      'Add `command: python prep.py --out ${{outputs.data}}` (and `code: ./src` for its folder).',
    );
    return undefined;
  }
  checkCommandBindings(commandNode, command, inputs, new Set(outputs.keys()), ctx);
  const codeDir = readCode(map, commandNode, ctx);
  if (codeDir === undefined) return undefined;
  const job: CommandJob = {
    specFile: source.specFile,
    nodeName: source.nodeName,
    location: source.nodeLocation,
    command,
    codeDir,
    inputs: Object.fromEntries([...inputs].map(([name, input]) => [name, publicInput(input)])),
    outputs: Object.fromEntries([...outputs].map(([name, output]) => [name, publicOutput(output)])),
    environmentVariables: readEnvironmentVariables(valueOf(map, 'environment_variables'), ctx),
    cloudOnly: cloudOnlyFields(map, pipeline),
  };
  const displayName = stringOf(valueOf(map, 'display_name'));
  if (displayName !== undefined) job.displayName = displayName;
  return job;
}

/** The component's `optional: true` declarations (the node's own value does not repeat them). */
function markOptional(inputs: Map<string, BoundInput>, declared: YamlMap | undefined): void {
  for (const entry of declared?.entries ?? []) {
    const optional = entry.value.kind === 'map' ? valueOf(entry.value, 'optional') : undefined;
    const input = inputs.get(entry.key);
    if (input && optional?.kind === 'scalar' && (optional.value === true || optional.value === 'true')) input.optional = true;
  }
}

/** Every `${{…}}` names a port of this node; an input without a value is only allowed inside `$[[…]]`. */
function checkCommandBindings(node: YamlNode, text: string, inputs: Map<string, BoundInput>, outputs: Set<string>, ctx: SpecContext): void {
  const spans = [...text.matchAll(OPTIONAL_SPAN)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
  const inOptional = (i: number): boolean => spans.some(([from, to]) => i >= from && i < to);
  for (const binding of findBindings(text)) {
    const at = locationWithin(node, binding.index, binding.text.length);
    const { target } = binding;
    if (target.scope === 'inputs') {
      const input = inputs.get(target.name);
      if (!input) {
        ctx.findings.error(
          'unknown-binding',
          at,
          `command: \${{inputs.${target.name}}} names no input of this node.${didYouMean(target.name, [...inputs.keys()])}`,
          `Declare \`${target.name}\` under the node's \`inputs:\`.`,
        );
      } else if (input.unbound && !input.reported && !inOptional(binding.index)) {
        ctx.findings.error(
          'unbound-input',
          at,
          `command: \${{inputs.${target.name}}} has no value${input.optional ? ' (it is optional)' : ''}.`,
          input.optional
            ? `Wrap the part that uses it in \`$[[…]]\` (e.g. \`$[[--${target.name} \${{inputs.${target.name}}}]]\`) so it is dropped when unset.`
            : `Give \`${target.name}\` a value under the node's \`inputs:\`, or --set ${input.setPath ?? `inputs.${target.name}.path`}=<value>.`,
        );
      } else if (input.remote !== undefined && input.from === undefined && ctx.local) {
        ctx.findings.error(
          'remote-input',
          at,
          `command: \${{inputs.${target.name}}} is in the cloud (${input.remote}); a local run reads local data.`,
          `Use a local copy: --set ${input.pipelineInput ? `inputs.${input.pipelineInput}.path` : (input.setPath ?? `inputs.${target.name}.path`)}=./local-copy`,
        );
      }
    } else if (target.scope === 'outputs') {
      if (!outputs.has(target.name))
        ctx.findings.error(
          'unknown-binding',
          at,
          `command: \${{outputs.${target.name}}} names no output of this node.${didYouMean(target.name, [...outputs])}`,
          `Declare \`${target.name}:\` under the node's \`outputs:\`.`,
        );
    } else {
      ctx.findings.error(
        'unknown-binding',
        at,
        `command: ${describeBinding(target)} cannot be used in a command; it sees only this node's ports.`,
        'Declare a node input (`x: ${{parent.inputs.x}}`) and write `${{inputs.x}}`.',
      );
    }
  }
}

/** `code:` (relative to the YAML that writes it), else the folder of the YAML holding the command. */
function readCode(map: YamlMap, commandNode: YamlNode, ctx: SpecContext): string | undefined {
  const code = readCodeFolder(map, commandNode, ctx, { field: '`code:`', holds: "the command's scripts" });
  if (code.remote !== undefined) return ctx.local ? undefined : code.remote;
  return code.exists ? code.dir : undefined;
}

function cloudOnlyFields(map: YamlMap, pipeline: PipelinePorts): string[] {
  const fields: string[] = [];
  for (const key of CLOUD_ONLY) {
    const value = valueOf(map, key);
    if (!value) continue;
    const text =
      stringOf(value) ??
      (key === 'environment' && value.kind === 'map' ? (stringOf(valueOf(value, 'image')) ?? stringOf(valueOf(value, 'name'))) : undefined);
    if (key === 'environment' && text?.startsWith('azureml://registries/')) {
      fields.push(`environment ${text} (from the registry ${text.split('/')[3]})`);
    } else fields.push(text !== undefined ? `${key} ${text}` : key);
  }
  if (!valueOf(map, 'compute') && pipeline.compute) fields.push(`compute ${pipeline.compute}`);
  const modes = new Set<string>();
  for (const key of ['inputs', 'outputs']) {
    const ports = valueOf(map, key);
    for (const entry of ports?.kind === 'map' ? ports.entries : []) {
      const mode = entry.value.kind === 'map' ? stringOf(valueOf(entry.value, 'mode')) : undefined;
      if (mode) modes.add(mode);
    }
  }
  if (modes.size) fields.push(`mode ${[...modes].join(', ')}`);
  return fields;
}
