/** task: the code folder, the entry script in it, the environment, arguments and append_row_to. */
import * as fs from 'fs';
import * as path from 'path';
import type { SpecContext } from './context';
import { describeBinding, wholeBinding } from './bindings';
import { readCodeFolder } from './code-folder';
import { keysUnder } from './fields';
import { checkKeys } from './keys';
import { pathKind } from './local-files';
import type { BoundOutput } from './outputs';
import { readProgramArguments, type ArgumentScope } from './program-arguments';
import { closestMatch, didYouMean } from './suggest';
import type { DriverArguments, ParallelJob, SourceLocation } from './types';
import { stringOf, valueOf, type YamlMap, type YamlNode } from './yaml-source';

export interface TaskScope extends ArgumentScope {
  nodeLocation: SourceLocation;
}

export interface TaskReading {
  task: ParallelJob['task'];
  driver: DriverArguments;
  userArguments: string[];
  environmentVariables: Record<string, string>;
}

export function readTask(map: YamlMap, scope: TaskScope): TaskReading | undefined {
  const { ctx } = scope;
  const task = valueOf(map, 'task');
  if (!task || task.kind !== 'map') {
    const at = task?.loc ?? scope.nodeLocation;
    ctx.findings.error(
      'missing-field',
      at,
      'This parallel node needs a `task:` map with `entry_script`.',
      'Add `task: {type: run_function, code: ./src, entry_script: score.py}`.',
    );
    return undefined;
  }
  checkKeys(task, keysUnder('task'), '`task`', ctx.findings);
  checkTaskType(task, ctx);
  const entryNode = valueOf(task, 'entry_script');
  const entryScript = stringOf(entryNode);
  if (!entryNode || entryScript === undefined) {
    ctx.findings.error('missing-field', task.loc, '`task` has no `entry_script`.', 'Add `entry_script: score.py` (relative to task.code).');
    return undefined;
  }
  const code = readCodeFolder(task, entryNode, ctx, { field: 'task.code', holds: 'the entry script' });
  const args = readProgramArguments(valueOf(task, 'program_arguments'), scope);
  const result: TaskReading = {
    task: {
      codeDir: code.dir,
      entryScript,
      entryScriptPath: code.local ? entryScriptPath(code.dir, entryScript) : '',
      programArguments: args.programArguments,
    },
    driver: args.driver,
    userArguments: args.userArguments,
    environmentVariables: readEnvironmentVariables(valueOf(task, 'environment_variables'), ctx),
  };
  if (code.remote) result.task.codeRemote = code.remote;
  if (code.local && code.exists) checkEntryScript(result.task.entryScriptPath, entryNode, code.dir, ctx);
  const environment = environmentOf(valueOf(task, 'environment'));
  if (environment !== undefined) result.task.environment = environment;
  const appendRowTo = readAppendRowTo(valueOf(task, 'append_row_to'), scope.outputs, ctx);
  if (appendRowTo !== undefined) result.task.appendRowTo = appendRowTo;
  return result;
}

function checkTaskType(task: YamlMap, ctx: SpecContext): void {
  const node = valueOf(task, 'type');
  const type = stringOf(node);
  if (type === undefined || type === 'run_function') return;
  ctx.findings.error(
    'task-type',
    node!.loc,
    `task type \`${type}\` is not a parallel task type.`,
    'Use `type: run_function` (or leave it out).',
  );
}

/**
 * The file the driver imports: it strips `.py` and turns `/` into `.` to get a module name, so
 * `batch_score.main`, `batch_score/main.py` and `batch_score/main` all mean `<code>/batch_score/main.py`.
 */
export function entryScriptPath(codeDir: string, entryScript: string): string {
  const module = entryScript.trim().replace(/^\.\//, '').replace(/\.py$/, '').replace(/[\\/]/g, '.');
  return path.join(codeDir, ...module.split('.').filter((part) => part !== '')) + '.py';
}

function checkEntryScript(file: string, node: YamlNode, codeDir: string, ctx: SpecContext): void {
  if (pathKind(file) === 'file') return;
  const written = stringOf(node) ?? '';
  const nearby = pythonFilesNear(file, codeDir);
  const guess = closestMatch(path.relative(codeDir, file), nearby);
  ctx.findings.error(
    'entry-script-missing',
    node.loc,
    `Entry script ${written} not found: looked for ${file}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
    'entry_script is relative to task.code; `pkg.module` means pkg/module.py.',
  );
}

/** The .py files beside where the script was expected, relative to the code folder. */
function pythonFilesNear(file: string, codeDir: string): string[] {
  const folder = path.dirname(file);
  if (pathKind(folder) !== 'folder') return [];
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.py'))
    .map((name) => path.relative(codeDir, path.join(folder, name)).split(path.sep).join('/'));
}

function environmentOf(node: YamlNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return String(node.value);
  if (node.kind === 'map') return stringOf(valueOf(node, 'image')) ?? stringOf(valueOf(node, 'name'));
  return undefined;
}

function readAppendRowTo(node: YamlNode | undefined, outputs: Map<string, BoundOutput>, ctx: SpecContext): string | undefined {
  if (!node) return undefined;
  const target = node.kind === 'scalar' ? wholeBinding(node.value) : undefined;
  if (target?.scope !== 'outputs') {
    const written = target ? describeBinding(target) : node.kind === 'scalar' ? String(node.value) : `a ${node.kind}`;
    ctx.findings.error(
      'append-row-to',
      node.loc,
      `append_row_to is ${written}; it must name an output of this node as \`\${{outputs.<name>}}\`.`,
      'Declare an output (e.g. `scores: {type: uri_folder}`) and write `append_row_to: ${{outputs.scores}}`.',
    );
    return undefined;
  }
  if (!outputs.has(target.name)) {
    ctx.findings.error(
      'unknown-binding',
      node.loc,
      `append_row_to names \`${target.name}\`, which is not an output of this node.${didYouMean(target.name, [...outputs.keys()])}`,
      `Declare \`${target.name}:\` under the node's \`outputs:\`.`,
    );
    return undefined;
  }
  return target.name;
}

export function readEnvironmentVariables(node: YamlNode | undefined, ctx: SpecContext): Record<string, string> {
  const variables: Record<string, string> = {};
  if (!node) return variables;
  if (node.kind !== 'map') {
    ctx.findings.error(
      'wrong-type',
      node.loc,
      'environment_variables is a map of NAME: value.',
      'Write `environment_variables: {NAME: value}`.',
    );
    return variables;
  }
  for (const entry of node.entries) {
    if (entry.value.kind === 'scalar') variables[entry.key] = entry.value.value === null ? '' : String(entry.value.value);
    else
      ctx.findings.error(
        'wrong-type',
        entry.value.loc,
        `Environment variable ${entry.key} must be a single value.`,
        `Write \`${entry.key}: "value"\`.`,
      );
  }
  return variables;
}
