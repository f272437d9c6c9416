/**
 * Which spec YAML runs a given entry script: the nearest one beside or above the script (up to the
 * workspace folder) with a parallel node whose `task.entry_script` resolves to that file.
 *
 * It reads the YAML loosely (no data checks, no bindings): a spec whose input folder is missing or that
 * has a typo elsewhere still names its entry script, and the run that follows reports those errors.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { entryScriptPath } from '../spec/task';
import { mentionsParallelNode } from './parallel-yaml-shape';

export interface SpecMatch {
  specFile: string;
  /** The node key under `jobs:`, or the component's name for a standalone parallel job. */
  nodeName: string;
}

const YAML_FILE = /\.ya?ml$/i;
const MAX_SPEC_BYTES = 1 << 20;

/**
 * The specs naming `scriptPath` in the nearest folder that has any, walking up from the script's folder
 * to `stopAt` (inclusive; default: at most 4 folders up). Empty when none does.
 */
export async function findSpecsForEntryScript(scriptPath: string, stopAt?: string): Promise<SpecMatch[]> {
  const script = samePathKey(path.resolve(scriptPath));
  const limit = stopAt ? path.resolve(stopAt) : undefined;
  let dir = path.dirname(path.resolve(scriptPath));
  for (let level = 0; ; level++) {
    const matches = await specsInFolder(dir, script);
    if (matches.length > 0) return matches;
    const parent = path.dirname(dir);
    const atLimit = limit ? samePathKey(dir) === samePathKey(limit) || !isInside(dir, limit) : level >= 4;
    if (atLimit || parent === dir) return [];
    dir = parent;
  }
}

async function specsInFolder(dir: string, script: string): Promise<SpecMatch[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => YAML_FILE.test(n)).sort();
  } catch {
    return [];
  }
  const matches: SpecMatch[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    for (const node of await parallelTasks(file)) {
      if (samePathKey(node.entryScriptPath) === script) matches.push({ specFile: file, nodeName: node.nodeName });
    }
  }
  return matches;
}

interface TaskOf {
  nodeName: string;
  entryScriptPath: string;
}

/** The parallel nodes of a YAML file with the entry script each would run; [] for anything else. */
export async function parallelTasks(file: string): Promise<TaskOf[]> {
  const doc = await readYaml(file);
  if (!isMap(doc)) return [];
  const base = path.dirname(file);
  if (doc.type === 'parallel') {
    const task = taskOf(doc, base, typeof doc.name === 'string' ? doc.name : path.basename(file).replace(YAML_FILE, ''));
    return task ? [task] : [];
  }
  if (!isMap(doc.jobs)) return [];
  const tasks: TaskOf[] = [];
  for (const [nodeName, node] of Object.entries(doc.jobs)) {
    if (!isMap(node)) continue;
    if (node.type === 'parallel' && isMap(node.task)) {
      const task = taskOf(node, base, nodeName);
      if (task) tasks.push(task);
    } else if (typeof node.component === 'string' && YAML_FILE.test(node.component) && !node.component.startsWith('azureml:')) {
      const componentFile = path.resolve(base, node.component.replace(/^file:/, ''));
      const component = await readYaml(componentFile);
      if (isMap(component) && component.type === 'parallel') {
        const task = taskOf(component, path.dirname(componentFile), nodeName);
        if (task) tasks.push(task);
      }
    }
  }
  return tasks;
}

function taskOf(node: Record<string, unknown>, base: string, nodeName: string): TaskOf | undefined {
  const task = node.task;
  if (!isMap(task) || typeof task.entry_script !== 'string') return undefined;
  const code = typeof task.code === 'string' ? task.code : '.';
  if (/^(azureml:|https?:|\$\{\{)/.test(code)) return undefined;
  return { nodeName, entryScriptPath: entryScriptPath(path.resolve(base, code.replace(/^file:/, '')), task.entry_script) };
}

async function readYaml(file: string): Promise<unknown> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_SPEC_BYTES) return undefined;
    const text = await fs.readFile(file, 'utf8');
    if (!mentionsParallelNode(text) && !/^\s*component\s*:/m.test(text)) return undefined;
    return parse(text, { strict: false, uniqueKeys: false });
  } catch {
    return undefined; // not YAML, unreadable, or gone: not a spec for this script
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Paths compare case-insensitively where the file system usually does. */
function samePathKey(p: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p;
}
