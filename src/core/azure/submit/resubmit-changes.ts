// What a resubmission may change in a job, checked before anything is sent: its data inputs (`--input NAME=WHERE`)
// and the parallel step's parameters (`--set key=value`), by the names the spec uses or the tutorial's words
// (nodes, processes).
import { parseSizeString } from '../../spec/size';

/** A bad `--input` or `--set`: the CLI exits 2 and prints it; the message says what to write instead. */
export class ResubmitInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ResubmitInputError';
  }
}

/** A parameter of the parallel node: where it lives in the node body and how its value is checked. */
interface Parameter {
  path: string[];
  /** `tabular` undefined: the input's kind is not known here (a spec file, checked again when it is read). */
  check: (value: string, ctx: { tabular?: boolean }) => string | undefined;
  convert: (value: string) => unknown;
  example: string;
}

const wholeAtLeast = (min: number, what: string) => (v: string) =>
  /^[-+]?\d+$/.test(v.trim()) && Number(v) >= min ? undefined : `${what} must be a whole number of at least ${min}`;
const toInt = (v: string) => Number(v.trim());

const PARAMETERS: Record<string, Parameter> = {
  mini_batch_size: {
    path: ['mini_batch_size'],
    check: (v, ctx) =>
      (ctx.tabular ?? !/^\d+$/.test(v.trim()))
        ? parseSizeString(v) === undefined || parseSizeString(v) === 0
          ? 'mini_batch_size of a tabular input is a size such as 10mb, 1kb or 1024 (bytes)'
          : undefined
        : wholeAtLeast(1, 'mini_batch_size of a file input (files per mini-batch)')(v),
    convert: (v) => (/^\d+$/.test(v.trim()) ? Number(v) : v.trim()),
    example: 'mini_batch_size=1',
  },
  instance_count: {
    path: ['resources', 'instance_count'],
    check: wholeAtLeast(1, 'instance_count (nodes)'),
    convert: toInt,
    example: 'nodes=2',
  },
  max_concurrency_per_instance: {
    path: ['max_concurrency_per_instance'],
    check: wholeAtLeast(1, 'max_concurrency_per_instance (processes per node)'),
    convert: toInt,
    example: 'processes=1',
  },
  error_threshold: {
    path: ['error_threshold'],
    check: wholeAtLeast(-1, 'error_threshold (failed items allowed; -1 for no limit)'),
    convert: toInt,
    example: 'error_threshold=-1',
  },
  mini_batch_error_threshold: {
    path: ['mini_batch_error_threshold'],
    check: wholeAtLeast(-1, 'mini_batch_error_threshold (failed mini-batches allowed; -1 for no limit)'),
    convert: toInt,
    example: 'mini_batch_error_threshold=5',
  },
  max_retries: {
    path: ['retry_settings', 'max_retries'],
    check: wholeAtLeast(0, 'retry_settings.max_retries'),
    convert: toInt,
    example: 'max_retries=2',
  },
  timeout: {
    path: ['retry_settings', 'timeout'],
    check: wholeAtLeast(1, 'retry_settings.timeout (seconds per run() call)'),
    convert: toInt,
    example: 'timeout=60',
  },
  logging_level: {
    path: ['logging_level'],
    check: (v) =>
      ['DEBUG', 'INFO', 'WARNING'].includes(v.trim().toUpperCase()) ? undefined : 'logging_level is one of DEBUG, INFO, WARNING',
    convert: (v) => v.trim().toUpperCase(),
    example: 'logging_level=DEBUG',
  },
};

const ALIASES: Record<string, string> = {
  nodes: 'instance_count',
  'resources.instance_count': 'instance_count',
  processes: 'max_concurrency_per_instance',
  'retry_settings.max_retries': 'max_retries',
  'retry_settings.timeout': 'timeout',
};

export const PARAMETER_NAMES = [...Object.keys(PARAMETERS), ...Object.keys(ALIASES)];

export interface ParameterChange {
  /** The canonical name (instance_count for `nodes`). */
  name: string;
  /** Where it goes in the node: `['resources', 'instance_count']`. */
  path: string[];
  value: unknown;
  /** As the user wrote it, for messages. */
  written: string;
}

/** A `--set` that sets a pipeline input's value (`inputs.batch_size=1`). */
export interface LiteralChange {
  input: string;
  value: string;
}

export interface InputChange {
  name: string;
  /** What the user wrote after `=`. */
  where: string;
}

export interface ResubmitChanges {
  inputs: InputChange[];
  parameters: ParameterChange[];
  literals: LiteralChange[];
}

/** Parses `--input NAME=WHERE` and `--set key=value`; every problem is reported at once. */
export function parseResubmitChanges(inputs: readonly string[], sets: readonly string[], ctx: { tabular?: boolean }): ResubmitChanges {
  const problems: string[] = [];
  const out: ResubmitChanges = { inputs: [], parameters: [], literals: [] };
  for (const i of inputs) {
    const eq = i.indexOf('=');
    if (eq <= 0 || eq === i.length - 1) {
      problems.push(`--input ${i}: write NAME=WHERE, e.g. --input images=./one-image.png or --input images=azureml:digits:2.`);
      continue;
    }
    out.inputs.push({ name: i.slice(0, eq).trim(), where: i.slice(eq + 1).trim() });
  }
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      problems.push(`--set ${s}: write KEY=VALUE, e.g. --set mini_batch_size=1.`);
      continue;
    }
    const key = s.slice(0, eq).trim();
    const value = s.slice(eq + 1).trim();
    const input = /^inputs\.([A-Za-z0-9_]+)$/.exec(key);
    if (input) {
      out.literals.push({ input: input[1], value });
      continue;
    }
    const dataPath = /^inputs\.([A-Za-z0-9_]+)\.path$/.exec(key);
    if (dataPath) {
      out.inputs.push({ name: dataPath[1], where: value });
      continue;
    }
    const name = ALIASES[key] ?? key;
    const p = PARAMETERS[name];
    if (!p) {
      problems.push(
        `--set ${s}: ${key} is not a parameter a resubmission changes. Use one of: ${PARAMETER_NAMES.join(', ')}, or inputs.NAME=VALUE for a pipeline input.`,
      );
      continue;
    }
    const problem = p.check(value, ctx);
    if (problem) {
      problems.push(`--set ${s}: ${problem}, e.g. --set ${p.example}.`);
      continue;
    }
    out.parameters.push({ name, path: p.path, value: p.convert(value), written: s });
  }
  if (problems.length) throw new ResubmitInputError(problems);
  return out;
}

/**
 * The same changes as `--set` overrides of a spec file (resubmitting from the YAML): `nodes=2` becomes
 * `resources.instance_count=2`, `--input images=./x` becomes `inputs.images=./x`.
 */
export function specOverridesOf(changes: ResubmitChanges, fileInputs: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const i of changes.inputs) {
    if (fileInputs.has(i.name)) out.push(`inputs.${i.name}.type=uri_file`);
    out.push(`inputs.${i.name}.path=${i.where}`);
  }
  for (const l of changes.literals) out.push(`inputs.${l.input}=${l.value}`);
  for (const p of changes.parameters) out.push(`${p.path.join('.')}=${String(p.value)}`);
  return out;
}
