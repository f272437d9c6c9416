/**
 * task.program_arguments after binding: `${{inputs.x}}` become local paths or values now, while
 * `${{outputs.x}}` stay for the engine, which only knows the output folders at run time.
 */
import type { SpecContext } from './context';
import { parseDriverArguments, splitArgumentsChecked } from './arguments';
import { compactBindings, describeBinding, findBindings, type BindingTarget } from './bindings';
import type { BoundInput } from './inputs';
import type { BoundOutput } from './outputs';
import { didYouMean } from './suggest';
import type { DriverArguments } from './types';
import { locationWithin, type YamlNode } from './yaml-source';

export interface ArgumentScope {
  ctx: SpecContext;
  inputs: Map<string, BoundInput>;
  outputs: Map<string, BoundOutput>;
}

export interface ProgramArguments {
  programArguments: string[];
  driver: DriverArguments;
  userArguments: string[];
}

// `$[[ … ]]` wraps arguments that only apply when the optional inputs inside are given.
const OPTIONAL = /\$\[\[(.*?)\]\]/gs;

// The v1 SDK refuses these characters in append_row_file_name (it "must be a valid UNIX file name").
const BAD_FILE_NAME = /[<>:"?/\\{|}]/;

export function readProgramArguments(node: YamlNode | undefined, scope: ArgumentScope): ProgramArguments {
  const text = node && node.kind === 'scalar' && node.value !== null ? String(node.value) : '';
  if (node && node.kind !== 'scalar') {
    scope.ctx.findings.error(
      'wrong-type',
      node.loc,
      'program_arguments is one string, split like a shell command line.',
      'Write `program_arguments: --model ${{inputs.model}} --k 3` (use `>-` to spread it over lines).',
    );
  }
  if (node) checkBindings(node, text, scope);
  const split = splitArgumentsChecked(compactBindings(dropUnsetOptionals(text, scope.inputs)));
  if (node && split.unterminatedQuote) {
    scope.ctx.findings.error(
      'program-arguments',
      node.loc,
      `program_arguments has an unclosed ${split.unterminatedQuote} quote.`,
      'Close the quote, or escape it with a backslash.',
    );
  }
  const programArguments = split.tokens.map((token) => bindInputs(token, scope.inputs));
  const parsed = parseDriverArguments(programArguments);
  if (node)
    checkDriverArguments(
      node,
      parsed.driver,
      parsed.problems.map((p) => p.message),
      scope.ctx,
    );
  return { programArguments, driver: parsed.driver, userArguments: parsed.userArguments };
}

function dropUnsetOptionals(text: string, inputs: Map<string, BoundInput>): string {
  return text.replace(OPTIONAL, (_whole, inner: string) => {
    const given = findBindings(inner).every((b) => b.target.scope !== 'inputs' || isGiven(inputs.get(b.target.name)));
    return given ? inner : '';
  });
}

function isGiven(input: BoundInput | undefined): boolean {
  return input !== undefined && !input.unbound;
}

/** Every binding must name a port of this node, and inputs outside `$[[…]]` must have a value. */
function checkBindings(node: YamlNode, text: string, scope: ArgumentScope): void {
  const optionalSpans = [...text.matchAll(OPTIONAL)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
  const inOptional = (i: number): boolean => optionalSpans.some(([from, to]) => i >= from && i < to);
  for (const binding of findBindings(text)) {
    const at = locationWithin(node, binding.index, binding.text.length);
    const problem = bindingProblem(binding.target, scope, inOptional(binding.index));
    if (problem) scope.ctx.findings.error(problem.rule, at, `program_arguments: ${problem.message}`, problem.fix);
  }
}

interface Problem {
  rule: string;
  message: string;
  fix: string;
}

function bindingProblem(target: BindingTarget, scope: ArgumentScope, optional: boolean): Problem | undefined {
  if (target.scope === 'inputs') return inputProblem(target.name, scope, optional);
  if (target.scope === 'outputs') {
    if (scope.outputs.has(target.name)) return undefined;
    return {
      rule: 'unknown-binding',
      message: `${describeBinding(target)} names no output of this node.${didYouMean(target.name, [...scope.outputs.keys()])}`,
      fix: `Declare \`${target.name}:\` under the node's \`outputs:\`.`,
    };
  }
  return {
    rule: 'unknown-binding',
    message: `${describeBinding(target)} cannot be used here: program_arguments see only this node's ports.`,
    fix: 'Declare a node input (`x: ${{parent.inputs.x}}`) and write `${{inputs.x}}`.',
  };
}

function inputProblem(name: string, scope: ArgumentScope, optional: boolean): Problem | undefined {
  const input = scope.inputs.get(name);
  if (!input) {
    return {
      rule: 'unknown-binding',
      message: `\${{inputs.${name}}} names no input of this node.${didYouMean(name, [...scope.inputs.keys()])}`,
      fix: `Declare \`${name}\` under the node's \`inputs:\`.`,
    };
  }
  if (input.reported) return undefined;
  if (input.unbound && !optional) {
    return {
      rule: 'unbound-input',
      message: `\${{inputs.${name}}} has no value.`,
      fix: `Give \`${name}\` a value, or wrap the argument in \`$[[…]]\` to drop it when unset.`,
    };
  }
  // An upstream step's output is bound when the pipeline runs that step (core/pipeline reads the node again).
  if (input.remote !== undefined && input.upstream === undefined && scope.ctx.local) {
    return {
      rule: 'remote-input',
      message: `\${{inputs.${name}}} is not on this machine (${input.remote}).`,
      fix: `Use a local copy: --set ${input.pipelineInput ? `inputs.${input.pipelineInput}.path` : (input.setPath ?? `inputs.${name}.path`)}=./local-copy`,
    };
  }
  return undefined;
}

function bindInputs(token: string, inputs: Map<string, BoundInput>): string {
  let out = token;
  for (const binding of findBindings(token)) {
    if (binding.target.scope !== 'inputs') continue;
    const value = argumentValue(inputs.get(binding.target.name));
    if (value !== undefined) out = out.replace(binding.text, () => value);
  }
  return out;
}

/** What the entry script receives for an input: its local path, or the value as Python prints it. */
function argumentValue(input: BoundInput | undefined): string | undefined {
  if (!input) return undefined;
  if (input.path !== undefined) return input.path;
  if (typeof input.value === 'boolean') return input.value ? 'True' : 'False';
  if (input.value !== undefined) return String(input.value);
  return input.remote ?? input.upstream;
}

function checkDriverArguments(node: YamlNode, driver: DriverArguments, problems: string[], ctx: SpecContext): void {
  for (const message of problems) {
    ctx.findings.error(
      'driver-argument',
      node.loc,
      `program_arguments: ${message}.`,
      'Give the option one value: `--option value` or `--option=value`.',
    );
  }
  if (driver.allowedFailedPercent < 0 || driver.allowedFailedPercent > 100) {
    ctx.findings.error(
      'threshold-range',
      node.loc,
      `--allowed_failed_percent is ${driver.allowedFailedPercent}; it is a percentage of mini-batches, 0 to 100.`,
      'Use a value from 0 to 100 (100 never stops the job).',
    );
  }
  if (BAD_FILE_NAME.test(driver.appendRowFileName) || driver.appendRowFileName === '') {
    ctx.findings.error(
      'append-row-file-name',
      node.loc,
      `--append_row_file_name "${driver.appendRowFileName}" is not a plain file name.`,
      'Use a bare file name such as `results.txt` (no folders, no < > : " ? / \\ { | }).',
    );
  }
}
