/**
 * What a v1 expression stands for, found by following variables through the file's assignments:
 * literals, PipelineParameter, os.environ.get, datasets, datastores, PipelineData, environments, steps.
 * Anything else is `unknown` with the source text, so the report can say what was left to do by hand.
 */
import type { At, Expr, Statement, V1Source } from './source';

export type Value =
  | { t: 'lit'; v: string | number | boolean | null; at: At }
  | { t: 'param'; name: string; def: Value; at: At }
  | { t: 'env'; name: string; def?: Value; at: At }
  | { t: 'datastore'; name: string; at: At }
  | { t: 'dsPath'; store: string; path: string; at: At }
  | { t: 'fileDs'; paths: Value[]; partitionFormat?: string; at: At; src: string }
  | { t: 'tabDs'; paths: Value[]; separator?: string; header?: Value; partitionFormat?: string; at: At; src: string }
  | { t: 'registered'; name: string; version?: string; at: At; src: string }
  | { t: 'consumption'; name?: string; of: Value; mode?: string; at: At }
  | {
      t: 'pipelineData';
      name: string;
      kind: 'PipelineData' | 'OutputFileDatasetConfig';
      extras: string[];
      at: At;
      mode?: string;
      destination?: string;
    }
  | { t: 'conda'; pip: Value[]; conda: Value[]; python?: string; at: At }
  | {
      t: 'environment';
      name?: string;
      registered?: string;
      conda?: Value;
      image?: Value;
      condaFile?: string;
      requirementsFile?: string;
      at: At;
    }
  | { t: 'compute'; name: Value; at: At }
  | { t: 'object'; kind: string; kwargs: Record<string, Expr>; args: Expr[]; at: At; variable?: string; src: string }
  | { t: 'list'; items: Value[]; at: At }
  | { t: 'unknown'; src: string; why: string; at: At };

/** v1 names of the base images azureml-core exports (values of its latest releases). */
const IMAGE_CONSTANTS: Record<string, string> = {
  DEFAULT_CPU_IMAGE: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
  DEFAULT_GPU_IMAGE: 'mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
};

/** Calls whose arguments the converter reads itself (ParallelRunConfig, steps, RunConfiguration...). */
const OBJECT_CALLS = ['ParallelRunConfig', 'ParallelRunStep', 'PythonScriptStep', 'Pipeline', 'Experiment', 'RunConfiguration', 'Model'];

export class Evaluator {
  private readonly module: Statement[];

  constructor(readonly source: V1Source) {
    this.module = source.statements.filter((s) => s.scope === null);
  }

  /** Module-level assignments to `name`, in file order. */
  assignmentsTo(name: string): Statement[] {
    return this.module.filter((s) => s.kind === 'assign' && s.target === name);
  }

  /** Module-level assignments to attributes of `name` (`env.docker.base_image = …`), keyed by the rest. */
  attributeAssignments(name: string): Map<string, Statement> {
    const found = new Map<string, Statement>();
    for (const s of this.module) {
      if (s.kind === 'assign' && s.target?.startsWith(`${name}.`)) found.set(s.target.slice(name.length + 1), s);
    }
    return found;
  }

  /** The value `name` holds where `at` reads it: its last module-level assignment before `at` (else the last). */
  lookup(name: string, at: At, seen: Set<string> = new Set()): Value {
    const all = this.assignmentsTo(name);
    if (all.length === 0 || seen.has(name)) {
      if (IMAGE_CONSTANTS[name]) return { t: 'lit', v: IMAGE_CONSTANTS[name], at };
      return { t: 'unknown', src: name, why: `\`${name}\` is not assigned in this file`, at };
    }
    const before = all.filter((s) => compareAt(s.at, at) < 0);
    const chosen = (before.length ? before : all)[(before.length ? before : all).length - 1];
    const value = this.eval(chosen.value, new Set([...seen, name]));
    if (value.t === 'object' && value.variable === undefined) value.variable = name;
    if (value.t === 'environment') return this.withEnvironmentAttributes(value, name, seen);
    return value;
  }

  /** What `e` stands for. */
  eval(e: Expr, seen: Set<string> = new Set()): Value {
    switch (e.k) {
      case 'const':
        return { t: 'lit', v: e.v, at: e.at };
      case 'name':
        return this.lookup(e.id, e.at, seen);
      case 'list':
        return { t: 'list', items: e.items.map((i) => this.eval(i, seen)), at: e.at };
      case 'dotted': {
        const last = e.path.split('.').pop()!;
        if (IMAGE_CONSTANTS[last]) return { t: 'lit', v: IMAGE_CONSTANTS[last], at: e.at };
        return { t: 'unknown', src: e.path, why: `\`${e.path}\` is read at run time`, at: e.at };
      }
      case 'subscript':
        return this.subscript(e, seen);
      case 'call':
        return this.call(e, seen);
      default:
        return { t: 'unknown', src: srcOf(e), why: `\`${srcOf(e)}\` is computed at run time`, at: e.at };
    }
  }

  private subscript(e: Extract<Expr, { k: 'subscript' }>, seen: Set<string>): Value {
    const base = e.value.k === 'dotted' ? e.value.path : e.value.k === 'attr' ? e.value.attr : '';
    const index = this.eval(e.index, seen);
    if (/(^|\.)datasets$/.test(base) && index.t === 'lit') return { t: 'registered', name: String(index.v), at: e.at, src: srcOf(e) };
    if (/(^|\.)compute_targets$/.test(base)) return { t: 'compute', name: index, at: e.at };
    if (/(^|\.)datastores$/.test(base) && index.t === 'lit') return { t: 'datastore', name: String(index.v), at: e.at };
    if (/^os\.environ$/.test(base) && index.t === 'lit') return { t: 'env', name: String(index.v), at: e.at };
    return { t: 'unknown', src: srcOf(e), why: `\`${srcOf(e)}\` is read at run time`, at: e.at };
  }

  private call(e: Extract<Expr, { k: 'call' }>, seen: Set<string>): Value {
    const fn = funcName(e.func);
    const last = fn.split('.').pop() ?? '';
    const arg = (i: number, name: string): Expr | undefined => e.kwargs[name] ?? e.args[i];
    const val = (i: number, name: string): Value | undefined => {
      const a = arg(i, name);
      return a ? this.eval(a, seen) : undefined;
    };
    const text = (i: number, name: string): string | undefined => {
      const v = val(i, name);
      return v ? literalText(v) : undefined;
    };
    // Methods on something already known: ds.as_mount(), ds.as_named_input('x'), store.path('p'), data.as_input().
    if (e.func.k === 'attr' || (e.func.k === 'dotted' && fn.includes('.'))) {
      const receiverExpr = e.func.k === 'attr' ? e.func.value : receiverOf(e.func as Extract<Expr, { k: 'dotted' }>);
      const method = e.func.k === 'attr' ? e.func.attr : last;
      const receiver = receiverExpr && (e.func.k === 'attr' || !isModulePath(fn)) ? this.eval(receiverExpr, seen) : undefined;
      if (receiver && receiver.t !== 'unknown') {
        const chained = this.method(receiver, method, e, seen);
        if (chained) return chained;
      }
    }
    if (fn === 'os.environ.get' || fn === 'os.getenv') {
      const name = text(0, 'key');
      if (name !== undefined) return { t: 'env', name, def: val(1, 'default'), at: e.at };
    }
    if (last === 'PipelineParameter') {
      const name = text(0, 'name');
      const def = val(1, 'default_value');
      if (name !== undefined && def) return { t: 'param', name, def, at: e.at };
    }
    if (fn.endsWith('File.from_files'))
      return { t: 'fileDs', paths: this.paths(val(0, 'path')), partitionFormat: text(99, 'partition_format'), at: e.at, src: e.src };
    if (fn.endsWith('Tabular.from_delimited_files') || fn.endsWith('Tabular.from_parquet_files')) {
      const parquet = fn.endsWith('from_parquet_files');
      return {
        t: 'tabDs',
        paths: this.paths(val(0, 'path')),
        separator: parquet ? 'parquet' : (text(99, 'separator') ?? ','),
        header: val(99, 'header'),
        partitionFormat: text(99, 'partition_format'),
        at: e.at,
        src: e.src,
      };
    }
    if (fn.endsWith('Dataset.get_by_name') || fn.endsWith('Dataset.get')) {
      const name = text(1, 'name');
      const version = text(2, 'version');
      if (name !== undefined)
        return { t: 'registered', name, ...(version && version !== 'latest' ? { version } : {}), at: e.at, src: e.src };
    }
    if (last === 'DatasetConsumptionConfig') {
      const of = val(1, 'dataset');
      if (of) return { t: 'consumption', name: text(0, 'name'), of, mode: text(3, 'mode'), at: e.at };
    }
    if (
      fn.endsWith('Datastore.register_azure_blob_container') ||
      fn.endsWith('Datastore.register_azure_data_lake_gen2') ||
      fn.endsWith('Datastore.register_azure_file_share')
    ) {
      const name = text(1, 'datastore_name');
      if (name !== undefined) return { t: 'datastore', name, at: e.at };
    }
    if (fn.endsWith('Datastore.get') || fn === 'Datastore') {
      const name = text(1, 'datastore_name') ?? text(1, 'name');
      if (name !== undefined) return { t: 'datastore', name, at: e.at };
    }
    if (last === 'get_default_datastore') return { t: 'datastore', name: 'workspaceblobstore', at: e.at };
    if (last === 'PipelineData' || last === 'OutputFileDatasetConfig') {
      const name = text(0, 'name');
      // OutputFileDatasetConfig(destination=(datastore, 'path/{run-id}')) is a v2 output's `path`.
      const dest = val(99, 'destination');
      const destination =
        dest?.t === 'list' && dest.items.length === 2 && dest.items[0].t === 'datastore' && dest.items[1].t === 'lit'
          ? `azureml://datastores/${dest.items[0].name}/paths/${String(dest.items[1].v)
              .replace(/^\/+/, '')
              .replace(/\{run-id\}/g, '${{name}}')}`
          : undefined;
      const extras = Object.keys(e.kwargs).filter(
        (k) => !['name', 'datastore', 'is_directory', ...(destination ? ['destination'] : [])].includes(k),
      );
      if (name !== undefined) return { t: 'pipelineData', name, kind: last, extras, at: e.at, ...(destination ? { destination } : {}) };
    }
    if (fn.endsWith('CondaDependencies.create')) {
      const list = (v: Value | undefined): Value[] => (v?.t === 'list' ? v.items : v ? [v] : []);
      return {
        t: 'conda',
        pip: list(val(99, 'pip_packages')),
        conda: list(val(99, 'conda_packages')),
        python: text(99, 'python_version'),
        at: e.at,
      };
    }
    if (last === 'Environment') return { t: 'environment', name: text(0, 'name'), at: e.at };
    if (fn.endsWith('Environment.get')) return { t: 'environment', registered: text(1, 'name'), at: e.at };
    if (fn.endsWith('Environment.from_pip_requirements')) {
      return { t: 'environment', name: text(0, 'name'), requirementsFile: text(1, 'file_path'), at: e.at };
    }
    if (fn.endsWith('Environment.from_conda_specification')) {
      return { t: 'environment', name: text(0, 'name'), condaFile: text(1, 'file_path'), at: e.at };
    }
    if (fn.endsWith('ComputeTarget.create')) {
      const name = val(1, 'name');
      if (name) return { t: 'compute', name, at: e.at };
    }
    if (last === 'ComputeTarget' || last === 'AmlCompute') {
      const name = val(1, 'name');
      if (name) return { t: 'compute', name, at: e.at };
    }
    if (OBJECT_CALLS.includes(last)) return { t: 'object', kind: last, kwargs: e.kwargs, args: e.args, at: e.at, src: e.src };
    return { t: 'unknown', src: e.src, why: `\`${e.src}\` is computed at run time`, at: e.at };
  }

  /** `receiver.method(...)` on values this file built. */
  private method(receiver: Value, method: string, e: Extract<Expr, { k: 'call' }>, seen: Set<string>): Value | undefined {
    const first = e.args[0] ? this.eval(e.args[0], seen) : e.kwargs.name ? this.eval(e.kwargs.name, seen) : undefined;
    if (receiver.t === 'datastore' && method === 'path' && first?.t === 'lit') {
      return { t: 'dsPath', store: receiver.name, path: String(first.v), at: e.at };
    }
    const data = ['fileDs', 'tabDs', 'registered', 'param', 'consumption', 'pipelineData'].includes(receiver.t);
    if (!data) return undefined;
    if (method === 'as_named_input' || method === 'as_input') {
      const name = first?.t === 'lit' ? String(first.v) : undefined;
      if (receiver.t === 'consumption') return { ...receiver, ...(name ? { name } : {}) };
      return { t: 'consumption', ...(name ? { name } : {}), of: receiver, at: e.at };
    }
    if (method === 'as_mount' || method === 'as_download' || method === 'as_upload' || method === 'as_direct' || method === 'as_dataset') {
      const mode =
        method === 'as_mount' ? 'ro_mount' : method === 'as_download' ? 'download' : method === 'as_upload' ? 'upload' : 'direct';
      if (receiver.t === 'pipelineData') return { ...receiver, mode: method === 'as_upload' ? 'upload' : receiver.mode };
      if (receiver.t === 'consumption') return { ...receiver, mode };
      return { t: 'consumption', of: receiver, mode, at: e.at };
    }
    if (method === 'register' || method === 'read_delimited_files' || method === 'read_parquet_files') {
      return receiver;
    }
    return undefined;
  }

  /** The paths of a dataset: one path, a (datastore, 'path') tuple, or a list of them. */
  private paths(v: Value | undefined): Value[] {
    if (!v) return [];
    if (v.t === 'list') {
      // A (datastore, 'path') tuple is one path.
      if (v.items.length === 2 && v.items[0].t === 'datastore' && v.items[1].t === 'lit') {
        return [{ t: 'dsPath', store: v.items[0].name, path: String(v.items[1].v), at: v.at }];
      }
      return v.items.flatMap((i) => this.paths(i));
    }
    return [v];
  }

  private withEnvironmentAttributes(env: Extract<Value, { t: 'environment' }>, variable: string, seen: Set<string>): Value {
    const attrs = this.attributeAssignments(variable);
    const conda = attrs.get('python.conda_dependencies');
    const image = attrs.get('docker.base_image');
    return {
      ...env,
      ...(conda ? { conda: this.eval(conda.value, new Set([...seen, variable])) } : {}),
      ...(image ? { image: this.eval(image.value, new Set([...seen, variable])) } : {}),
    };
  }
}

/** The literal a value settles to: itself, a parameter's default, an environment variable's default. */
export function literalOf(v: Value | undefined): Extract<Value, { t: 'lit' }> | undefined {
  if (!v) return undefined;
  if (v.t === 'lit') return v;
  if (v.t === 'param') return literalOf(v.def);
  if (v.t === 'env' && v.def) return literalOf(v.def);
  return undefined;
}

function literalText(v: Value): string | undefined {
  const lit = literalOf(v);
  return lit && lit.v !== null ? String(lit.v) : undefined;
}

export function funcName(e: Expr): string {
  if (e.k === 'dotted') return e.path;
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') return `${funcName(e.value)}.${e.attr}`;
  if (e.k === 'call') return `${funcName(e.func)}()`;
  return '';
}

function receiverOf(e: Extract<Expr, { k: 'dotted' }>): Expr | undefined {
  const parts = e.path.split('.');
  if (parts.length < 2) return undefined;
  const rest = parts.slice(0, -1);
  return rest.length === 1 ? { k: 'name', id: rest[0], at: e.at } : { k: 'dotted', path: rest.join('.'), at: e.at };
}

/** Calls through a module or class (`Dataset.File.from_files`), not through a variable. */
function isModulePath(fn: string): boolean {
  const head = fn.split('.')[0];
  return /^[A-Z]/.test(head) || ['os', 'azureml'].includes(head);
}

export function srcOf(e: Expr): string {
  switch (e.k) {
    case 'const':
      return typeof e.v === 'string'
        ? JSON.stringify(e.v)
        : e.v === null
          ? 'None'
          : e.v === true
            ? 'True'
            : e.v === false
              ? 'False'
              : String(e.v);
    case 'name':
      return e.id;
    case 'dotted':
      return e.path;
    case 'call':
    case 'other':
      return e.src;
    case 'list':
      return `[${e.items.map(srcOf).join(', ')}]`;
    case 'attr':
      return `${srcOf(e.value)}.${e.attr}`;
    case 'subscript':
      return `${srcOf(e.value)}[${srcOf(e.index)}]`;
    default:
      return '…';
  }
}

export function compareAt(a: At, b: At): number {
  return (a.cell ?? 0) - (b.cell ?? 0) || a.line - b.line || a.col - b.col;
}
