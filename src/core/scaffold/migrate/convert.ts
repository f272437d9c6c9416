/**
 * v1 pipeline code → a v2 pipeline: every ParallelRunStep a `type: parallel` node, every PythonScriptStep a
 * `type: command` node, PipelineParameters pipeline inputs, PipelineData between steps node outputs bound
 * to the next node's inputs. Each v1 setting leaves a row saying where it went (see plan.ts).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { dataInput, relativeTo } from './data';
import { environmentOf } from './environment';
import { v2Name, v2NodeName, unique } from './names';
import type { MappingRow, MigrationPlan, ScriptChange, SideFile } from './plan';
import { entryScriptChanges, type ModelUse } from './script-changes';
import { describeAt, type At, type Expr, type V1Source } from './source';
import { Evaluator, funcName, literalOf, srcOf, type Value } from './values';

export interface ConvertOptions {
  /** Absolute path of the v1 .py or .ipynb file. */
  sourceFile: string;
  /** Absolute folder the spec is written to. */
  outDir: string;
  /** Entry scripts already parsed, by absolute path. */
  scripts: Map<string, V1Source>;
  /** Entry scripts that are not on disk but written by a notebook's `%%writefile` cell, by absolute path. */
  writtenScripts?: Map<string, { text: string; at: At }>;
}

export interface StepCall {
  kind: 'ParallelRunStep' | 'PythonScriptStep';
  call: Extract<Expr, { k: 'call' }>;
  variable?: string;
}

/** The ParallelRunStep and PythonScriptStep calls of a file, in file order. */
export function findSteps(source: V1Source): StepCall[] {
  const steps: StepCall[] = [];
  const visit = (e: Expr, variable?: string): void => {
    if (e.k === 'call') {
      const last = funcName(e.func).split('.').pop();
      if (last === 'ParallelRunStep' || last === 'PythonScriptStep') {
        steps.push({ kind: last, call: e, variable });
        return;
      }
      e.args.forEach((a) => visit(a));
      Object.values(e.kwargs).forEach((a) => visit(a));
    } else if (e.k === 'list') e.items.forEach((i) => visit(i));
  };
  for (const s of source.statements) if (s.scope === null) visit(s.value, s.kind === 'assign' ? s.target : undefined);
  return steps;
}

/** Where a step's script is: the absolute path of `source_directory/entry_script` (or script_name). */
export function scriptPathOf(step: StepCall, ev: Evaluator, baseDir: string): { codeDir: string; script: string; codeKnown: boolean } | undefined {
  const kw = step.call.kwargs;
  let settings: Record<string, Expr> = kw;
  if (step.kind === 'ParallelRunStep') {
    const cfgExpr = kw.parallel_run_config ?? step.call.args[1];
    const cfg = cfgExpr ? ev.eval(cfgExpr) : undefined;
    if (cfg?.t !== 'object' || cfg.kind !== 'ParallelRunConfig') return undefined;
    settings = cfg.kwargs;
  }
  const dirValue = settings.source_directory ? literalOf(ev.eval(settings.source_directory)) : undefined;
  const scriptExpr = step.kind === 'ParallelRunStep' ? settings.entry_script : settings.script_name;
  const scriptValue = scriptExpr ? literalOf(ev.eval(scriptExpr)) : undefined;
  if (!scriptValue || typeof scriptValue.v !== 'string') return undefined;
  const codeKnown = !settings.source_directory || (dirValue !== undefined && typeof dirValue.v === 'string');
  const codeDir = path.resolve(baseDir, codeKnown && dirValue ? String(dirValue.v) : '.');
  return { codeDir, script: path.resolve(codeDir, scriptValue.v), codeKnown };
}

/** A PipelineData and the node output that produces it. */
interface Produced {
  node: string;
  output: string;
  /** Where OutputFileDatasetConfig(destination=…) stores it. */
  path?: string;
}

/** Converts the file; every v1 setting met leaves a row in the plan. */
export function convert(source: V1Source, options: ConvertOptions): MigrationPlan {
  return new Converter(source, options).run();
}

const PRC_SCALARS: [string, string][] = [
  ['mini_batch_size', 'mini_batch_size'],
  ['error_threshold', 'error_threshold'],
  ['allowed_failed_count', 'mini_batch_error_threshold'],
  ['node_count', 'resources.instance_count'],
  ['process_count_per_node', 'max_concurrency_per_instance'],
  ['run_invocation_timeout', 'retry_settings.timeout'],
  ['logging_level', 'logging_level'],
];

const PRC_HANDLED = new Set([
  ...PRC_SCALARS.map(([k]) => k),
  'source_directory',
  'entry_script',
  'environment',
  'compute_target',
  'output_action',
  'append_row_file_name',
  'allowed_failed_percent',
  'run_max_try',
  'partition_keys',
  'description',
  'environment_variables',
]);

class Converter {
  private readonly ev: Evaluator;
  private readonly baseDir: string;
  private readonly rows: MappingRow[] = [];
  private readonly files: SideFile[] = [];
  private readonly scriptChanges: ScriptChange[] = [];
  private readonly renames: { v1: string; v2: string }[] = [];
  private readonly notes: string[] = [];
  private readonly cloudTables: MigrationPlan['cloudTables'] = [];
  private readonly inputs: Record<string, unknown> = {};
  private readonly outputs: Record<string, unknown> = {};
  private readonly jobs: Record<string, Record<string, unknown>> = {};
  private readonly nodeNames = new Set<string>();
  private readonly inputNames = new Set<string>();
  private readonly produced = new Map<string, Produced>();
  private readonly consumed = new Set<string>();
  private readonly computes: string[] = [];
  private readonly file: string;

  constructor(
    private readonly source: V1Source,
    private readonly options: ConvertOptions,
  ) {
    this.ev = new Evaluator(source);
    this.baseDir = path.dirname(options.sourceFile);
    this.file = path.basename(options.sourceFile);
  }

  run(): MigrationPlan {
    for (const s of this.source.syntaxErrors) this.notes.push(`${describeAt(this.file, s.at)}: not read (${s.message}).`);
    for (const s of this.source.skipped) this.notes.push(`${describeAt(this.file, s.at)}: \`${s.text}\` skipped (a magic or shell line, not Python).`);
    const steps = findSteps(this.source);
    const names = steps.map((s) => this.nodeNameOf(s));
    // Outputs first, so a step can bind to a later-written producer too.
    steps.forEach((s, i) => this.registerOutputs(s, names[i]));
    steps.forEach((s, i) => (s.kind === 'ParallelRunStep' ? this.parallelStep(s, names[i]) : this.commandStep(s, names[i])));
    // Step outputs no other step reads become pipeline outputs, so they land somewhere the user can find.
    for (const [pd, producer] of this.produced) {
      if (this.consumed.has(pd)) continue;
      const job = this.jobs[producer.node];
      const outs = (job.outputs ?? {}) as Record<string, unknown>;
      const pipelineName = unique(producer.output, new Set(Object.keys(this.outputs)));
      outs[producer.output] = `\${{parent.outputs.${pipelineName}}}`;
      this.outputs[pipelineName] = { type: 'uri_folder', ...(producer.path ? { path: producer.path } : {}), mode: 'rw_mount' };
    }
    this.resubmissions();
    return {
      spec: this.spec(),
      files: this.files,
      rows: this.rows,
      scriptChanges: this.scriptChanges,
      renames: this.renames,
      cloudTables: this.cloudTables,
      notes: this.notes,
    };
  }

  private spec(): Record<string, unknown> {
    const experiment = this.experimentName();
    const first = Object.keys(this.jobs)[0];
    const spec: Record<string, unknown> = {
      $schema: 'https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json',
      type: 'pipeline',
      display_name: first ?? 'migrated-pipeline',
      description: `Migrated from ${this.file} (Azure ML SDK v1) by parallel-run migrate.`,
    };
    if (experiment) spec.experiment_name = experiment;
    const compute = this.computes[0];
    if (compute) spec.settings = { default_compute: `azureml:${compute}` };
    if (Object.keys(this.inputs).length) spec.inputs = this.inputs;
    if (Object.keys(this.outputs).length) spec.outputs = this.outputs;
    spec.jobs = this.jobs;
    return spec;
  }

  private experimentName(): string | undefined {
    for (const s of this.source.statements) {
      if (s.scope !== null || s.value.k !== 'call') continue;
      if (funcName(s.value.func).split('.').pop() !== 'Experiment') continue;
      const nameExpr = s.value.kwargs.name ?? s.value.args[1];
      const lit = nameExpr ? literalOf(this.ev.eval(nameExpr)) : undefined;
      if (lit && typeof lit.v === 'string') {
        this.rows.push({ v1: `Experiment(ws, ${JSON.stringify(lit.v)})`, v2: `experiment_name: ${lit.v}`, at: s.at });
        return lit.v;
      }
    }
    return undefined;
  }

  /** `experiment.submit(pipeline, pipeline_parameters={…})`: the same values as `--set` on the v2 command line. */
  private resubmissions(): void {
    for (const s of this.source.statements) {
      if (s.scope !== null || s.value.k !== 'call' || !funcName(s.value.func).endsWith('.submit')) continue;
      const params = s.value.kwargs.pipeline_parameters;
      if (params?.k !== 'dict') continue;
      const sets: string[] = [];
      for (const [k, v] of params.items) {
        const key = literalOf(this.ev.eval(k));
        if (!key || typeof key.v !== 'string') continue;
        const name = v2Name(key.v, 'param');
        const value = this.ev.eval(v);
        const lit = literalOf(value);
        const remote = value.t === 'fileDs' && value.paths.length === 1 && value.paths[0].t === 'dsPath' ? value.paths[0] : undefined;
        if (remote && remote.t === 'dsPath') {
          // One file where the pipeline had a folder: the input's type changes with it.
          if (/\.[A-Za-z0-9]+$/.test(remote.path)) sets.push(`--set inputs.${name}.type=uri_file`);
          sets.push(`--set inputs.${name}.path=azureml://datastores/${remote.store}/paths/${remote.path}`);
        }
        else if (lit && lit.v !== null) sets.push(`--set inputs.${name}=${lit.v}`);
        else sets.push(`--set inputs.${name}…  (${srcOf(v)}: by hand)`);
      }
      this.rows.push({
        v1: `${funcName(s.value.func)}(…, pipeline_parameters=${srcOf(params)})`,
        v2: `az ml job create -f pipeline.yml ${sets.join(' ')}`,
        note: 'A resubmission with other values: the same --set options work with parallel-run run.',
        at: s.at,
      });
    }
  }

  private nodeNameOf(step: StepCall): string {
    const nameExpr = step.call.kwargs.name ?? step.call.args[0];
    const lit = nameExpr ? literalOf(this.ev.eval(nameExpr)) : undefined;
    const v1 = lit && typeof lit.v === 'string' ? lit.v : (step.variable ?? step.kind.toLowerCase());
    const v2 = unique(v2NodeName(v1), this.nodeNames);
    if (v2 !== v1) this.renames.push({ v1, v2 });
    this.rows.push({
      step: v1,
      v1: `${step.kind}(name=${JSON.stringify(v1)})`,
      v2: `jobs.${v2}`,
      note: v2 !== v1 ? `v2 node names are identifiers: \`${v1}\` became \`${v2}\`.` : undefined,
      at: step.call.at,
    });
    return v2;
  }

  /** PipelineData / OutputFileDatasetConfig a step writes, by v1 name. */
  private registerOutputs(step: StepCall, node: string): void {
    const kw = step.call.kwargs;
    const outs: Expr[] = [];
    if (step.kind === 'ParallelRunStep' && kw.output) outs.push(kw.output);
    if (step.kind === 'PythonScriptStep' && kw.outputs) outs.push(...(kw.outputs.k === 'list' ? kw.outputs.items : [kw.outputs]));
    for (const e of outs) {
      const v = unwrap(this.ev.eval(e));
      if (v.t === 'pipelineData') this.produced.set(v.name, { node, output: v2Name(v.name, 'output'), ...(v.destination ? { path: v.destination } : {}) });
    }
  }

  // ---- parallel steps ----

  private parallelStep(step: StepCall, node: string): void {
    const kw = step.call.kwargs;
    const stepName = this.v1NameOf(node);
    const job: Record<string, unknown> = { type: 'parallel' };
    const nodeInputs: Record<string, unknown> = {};
    const nodeOutputs: Record<string, unknown> = {};
    const task: Record<string, unknown> = { type: 'run_function' };
    const args: string[] = [];
    const cfgExpr = kw.parallel_run_config ?? step.call.args[1];
    const cfgValue = cfgExpr ? this.ev.eval(cfgExpr) : undefined;
    if (cfgValue?.t !== 'object' || cfgValue.kind !== 'ParallelRunConfig') {
      this.rows.push({
        step: stepName,
        v1: `parallel_run_config=${cfgExpr ? srcOf(cfgExpr) : '(missing)'}`,
        note: 'The ParallelRunConfig(...) call was not found in this file: write the node settings by hand.',
        at: step.call.at,
        manual: true,
      });
    }
    const cfg = cfgValue?.t === 'object' ? cfgValue.kwargs : {};
    const cfgName = cfgValue?.t === 'object' && cfgValue.variable ? cfgValue.variable : 'ParallelRunConfig';
    const row = (key: string, v2: string | undefined, note?: string, manual?: boolean): void => {
      const e = cfg[key];
      this.rows.push({ step: stepName, v1: `${cfgName}.${key} = ${e ? srcOf(e) : ''}`, v2, note, at: e?.at, manual });
    };

    // Inputs: the first is split into mini-batches; the rest and side_inputs are plain inputs.
    const mbs = cfg.mini_batch_size ? literalOf(this.ev.eval(cfg.mini_batch_size)) : undefined;
    const tabularHint = typeof mbs?.v === 'string' && /[kmg]b$/i.test(mbs.v);
    const inputList = kw.inputs ? (kw.inputs.k === 'list' ? kw.inputs.items : [kw.inputs]) : [];
    inputList.forEach((e, i) => {
      const name = this.bindData(e, nodeInputs, stepName, tabularHint);
      if (!name) return;
      if (i === 0) {
        job.input_data = `\${{inputs.${name}}}`;
        this.rows.push({ step: stepName, v1: `ParallelRunStep.inputs[0] = ${srcOf(e)}`, v2: `jobs.${node}.input_data: \${{inputs.${name}}}`, at: e.at });
      } else {
        this.rows.push({
          step: stepName,
          v1: `ParallelRunStep.inputs[${i}] = ${srcOf(e)}`,
          v2: `jobs.${node}.inputs.${name}`,
          note: 'A v2 parallel node splits one input (input_data); this one is passed whole. Merge the datasets into one (a folder or an MLTable with several paths) to split both.',
          at: e.at,
          manual: true,
        });
      }
    });
    const sideList = kw.side_inputs ? (kw.side_inputs.k === 'list' ? kw.side_inputs.items : [kw.side_inputs]) : [];
    for (const e of sideList) {
      const name = this.bindData(e, nodeInputs, stepName, false);
      if (name) {
        args.push(`--${name}`, `\${{inputs.${name}}}`);
        this.rows.push({
          step: stepName,
          v1: `ParallelRunStep.side_inputs = ${srcOf(e)}`,
          v2: `jobs.${node}.inputs.${name}, passed as --${name} \${{inputs.${name}}}`,
          note: 'v1 mounted side inputs by name; v2 hands the script their path as an argument.',
          at: e.at,
        });
      }
    }

    // Output.
    let outputName: string | undefined;
    if (kw.output) {
      const v = unwrap(this.ev.eval(kw.output));
      if (v.t === 'pipelineData') {
        outputName = v2Name(v.name, 'output');
        nodeOutputs[outputName] = { type: 'uri_folder', ...(v.destination ? { path: v.destination } : {}), mode: 'rw_mount' };
        if (v.destination) this.rows.push({ step: stepName, v1: `${v.kind}(destination=…)`, v2: `outputs.${outputName}.path: ${v.destination}`, at: v.at });
        this.rows.push({ step: stepName, v1: `ParallelRunStep.output = ${srcOf(kw.output)}`, v2: `jobs.${node}.outputs.${outputName}`, at: kw.output.at });
        for (const extra of v.extras) {
          this.rows.push({
            step: stepName,
            v1: `${v.kind}(${extra}=…)`,
            note: `\`${extra}\` has no v2 equivalent for an output (v2 chooses the path on the compute); set outputs.${outputName}.path to pick where it is stored.`,
            at: v.at,
          });
        }
      }
    }

    // Scalars.
    for (const [key, field] of PRC_SCALARS) {
      const e = cfg[key];
      if (!e) continue;
      const value = this.scalar(e, node, nodeInputs);
      if (value === undefined) {
        row(key, undefined, `\`${srcOf(e)}\` is computed at run time: set \`${field}\` by hand.`, true);
        continue;
      }
      setPath(job, field, value.text);
      row(key, `jobs.${node}.${field}: ${value.text}`, value.note);
    }
    if (cfg.run_max_try) {
      const value = this.ev.eval(cfg.run_max_try);
      const lit = literalOf(value);
      if (lit && typeof lit.v === 'number') {
        setPath(job, 'retry_settings.max_retries', Math.max(0, lit.v - 1));
        row(
          'run_max_try',
          `jobs.${node}.retry_settings.max_retries: ${Math.max(0, lit.v - 1)}`,
          `v1 counts tries, v2 counts retries after the first try (${lit.v} tries = ${lit.v - 1} retries).${value.t === 'param' ? ` The pipeline parameter \`${value.name}\` became this fixed number: a binding cannot subtract one.` : ''}`,
        );
      } else row('run_max_try', undefined, 'Computed at run time: set retry_settings.max_retries (tries − 1) by hand.', true);
    }
    if (cfg.partition_keys) {
      const v = this.ev.eval(cfg.partition_keys);
      const keys = v.t === 'list' ? v.items.map((i) => literalOf(i)?.v) : [];
      if (keys.length && keys.every((k) => typeof k === 'string')) {
        job.partition_keys = keys;
        row('partition_keys', `jobs.${node}.partition_keys: [${keys.join(', ')}]`, cfg.mini_batch_size ? 'v2 uses partition_keys and ignores mini_batch_size (v1 refused both).' : undefined);
        if (cfg.mini_batch_size) delete job.mini_batch_size;
      } else row('partition_keys', undefined, 'Not a list of names: set partition_keys by hand.', true);
    }
    if (cfg.description) {
      const lit = literalOf(this.ev.eval(cfg.description));
      if (lit && typeof lit.v === 'string') {
        job.description = lit.v;
        row('description', `jobs.${node}.description`);
      }
    }
    if (cfg.environment_variables) {
      const e = cfg.environment_variables;
      const dict = e.k === 'name' ? this.ev.assignmentsTo(e.id).pop()?.value : e;
      if (dict?.k === 'dict') {
        const vars: Record<string, string> = {};
        for (const [k, v] of dict.items) {
          const kl = literalOf(this.ev.eval(k));
          const vl = literalOf(this.ev.eval(v));
          if (kl && vl) vars[String(kl.v)] = String(vl.v);
        }
        job.environment_variables = vars;
        row('environment_variables', `jobs.${node}.environment_variables`);
      } else row('environment_variables', undefined, 'Not a dict literal: copy the variables into environment_variables by hand.', true);
    }

    // Output action, thresholds the driver reads as arguments.
    const action = cfg.output_action ? literalOf(this.ev.eval(cfg.output_action))?.v : undefined;
    if (action === 'append_row') {
      if (!outputName) {
        outputName = 'output';
        nodeOutputs[outputName] = { type: 'uri_folder', mode: 'rw_mount' };
        this.produced.set(`${node}.output`, { node, output: outputName });
      }
      task.append_row_to = `\${{outputs.${outputName}}}`;
      row('output_action', `jobs.${node}.task.append_row_to: \${{outputs.${outputName}}}`);
      if (cfg.append_row_file_name) {
        const file = this.argumentText(cfg.append_row_file_name, node, nodeInputs);
        if (file !== undefined) {
          args.push('--append_row_file_name', file);
          row('append_row_file_name', `program_arguments: --append_row_file_name ${file}`, 'The v2 driver reads it from the program arguments.');
        } else row('append_row_file_name', undefined, 'Computed at run time: add --append_row_file_name <name> to program_arguments.', true);
      }
    } else if (action === 'summary_only') {
      row('output_action', `(no task.append_row_to)`, 'summary_only is v2 without append_row_to: run() results only count toward the thresholds; the script writes its own files.');
      if (cfg.append_row_file_name) row('append_row_file_name', undefined, 'Ignored with summary_only, as in v1.');
    } else if (cfg.output_action) row('output_action', undefined, 'Not append_row or summary_only: set task.append_row_to by hand.', true);
    if (cfg.allowed_failed_percent) {
      const text = this.argumentText(cfg.allowed_failed_percent, node, nodeInputs);
      if (text !== undefined) {
        args.push('--allowed_failed_percent', text);
        row('allowed_failed_percent', `program_arguments: --allowed_failed_percent ${text}`, 'v2 has no field for it; the driver reads the argument.');
      } else row('allowed_failed_percent', undefined, 'Computed at run time: add --allowed_failed_percent N to program_arguments.', true);
    }

    // Code, entry script, environment, compute.
    const where = this.placeScript(scriptPathOf(step, this.ev, this.baseDir), stepName);
    if (where) {
      task.code = relativeTo(this.options.outDir, where.codeDir);
      task.entry_script = path.relative(where.codeDir, where.script).split(path.sep).join('/');
      row('entry_script', `jobs.${node}.task.entry_script: ${task.entry_script}`);
      if (cfg.source_directory) {
        row(
          'source_directory',
          `jobs.${node}.task.code: ${task.code}`,
          where.codeKnown ? 'Relative to the spec file.' : `\`${srcOf(cfg.source_directory)}\` is not known here: the notebook's folder was used; change task.code if the scripts are elsewhere.`,
          !where.codeKnown,
        );
      }
      this.entryScript(where.script, stepName, nodeInputs, args);
    } else row('entry_script', undefined, 'The entry script name is computed at run time: set task.entry_script by hand.', true);
    if (cfg.environment) {
      const env = environmentOf(this.ev.eval(cfg.environment), node, this.inputNames);
      if (env.environment) task.environment = env.environment;
      this.files.push(...env.files);
      for (const r of env.rows) this.rows.push({ step: stepName, ...r });
    }
    const compute = cfg.compute_target ? this.computeOf(cfg.compute_target, stepName) : undefined;
    if (compute) this.useCompute(job, compute);

    // Step-level settings.
    if (kw.arguments) {
      const list = kw.arguments.k === 'list' ? kw.arguments.items : [kw.arguments];
      const texts = list.map((e) => this.argumentText(e, node, nodeInputs));
      if (texts.every((t) => t !== undefined)) {
        args.unshift(...(texts as string[]));
        this.rows.push({ step: stepName, v1: `ParallelRunStep.arguments = ${srcOf(kw.arguments)}`, v2: `jobs.${node}.task.program_arguments`, at: kw.arguments.at });
      } else {
        this.rows.push({ step: stepName, v1: `ParallelRunStep.arguments = ${srcOf(kw.arguments)}`, note: 'Some arguments are computed at run time: add them to program_arguments by hand.', at: kw.arguments.at, manual: true });
      }
    }
    this.reuse(kw.allow_reuse, job, node, stepName);
    for (const key of Object.keys(kw)) {
      if (!['name', 'parallel_run_config', 'inputs', 'side_inputs', 'output', 'arguments', 'allow_reuse'].includes(key)) {
        this.rows.push({ step: stepName, v1: `ParallelRunStep.${key} = ${srcOf(kw[key])}`, note: 'No v2 equivalent on a parallel node.', at: kw[key].at });
      }
    }
    for (const key of Object.keys(cfg)) {
      if (!PRC_HANDLED.has(key)) row(key, undefined, 'No v2 equivalent on a parallel node.');
    }

    if (args.length) task.program_arguments = args.join(' ');
    if (Object.keys(nodeInputs).length) job.inputs = nodeInputs;
    if (Object.keys(nodeOutputs).length) job.outputs = nodeOutputs;
    this.jobs[node] = orderParallel(job, task);
  }

  // ---- command steps ----

  private commandStep(step: StepCall, node: string): void {
    const kw = step.call.kwargs;
    const stepName = this.v1NameOf(node);
    const job: Record<string, unknown> = { type: 'command' };
    const nodeInputs: Record<string, unknown> = {};
    const nodeOutputs: Record<string, unknown> = {};
    const outputsOfStep = new Set<string>();
    const outList = kw.outputs ? (kw.outputs.k === 'list' ? kw.outputs.items : [kw.outputs]) : [];
    for (const e of outList) {
      const v = unwrap(this.ev.eval(e));
      if (v.t === 'pipelineData') {
        const name = v2Name(v.name, 'output');
        outputsOfStep.add(v.name);
        nodeOutputs[name] = { type: 'uri_folder', ...(v.destination ? { path: v.destination } : {}), mode: 'rw_mount' };
        if (v.destination) this.rows.push({ step: stepName, v1: `${v.kind}(destination=…)`, v2: `outputs.${name}.path: ${v.destination}`, at: v.at });
        this.rows.push({ step: stepName, v1: `PythonScriptStep.outputs: ${srcOf(e)}`, v2: `jobs.${node}.outputs.${name}`, at: e.at });
      }
    }
    const where = this.placeScript(scriptPathOf(step, this.ev, this.baseDir), stepName);
    const words: string[] = ['python'];
    if (where) {
      job.code = relativeTo(this.options.outDir, where.codeDir);
      words.push(path.relative(where.codeDir, where.script).split(path.sep).join('/'));
      this.rows.push({ step: stepName, v1: `PythonScriptStep.script_name, source_directory`, v2: `jobs.${node}.code: ${job.code}, command: python ${words[1]} …`, at: step.call.at });
    } else {
      words.push('<script.py>');
      this.rows.push({ step: stepName, v1: 'PythonScriptStep.script_name', note: 'Computed at run time: write the script into `command` by hand.', at: step.call.at, manual: true });
    }
    const argList = kw.arguments ? (kw.arguments.k === 'list' ? kw.arguments.items : [kw.arguments]) : [];
    const named = new Set<string>();
    for (const e of argList) {
      const v = unwrap(this.ev.eval(e));
      if (v.t === 'pipelineData' && outputsOfStep.has(v.name)) {
        const name = v2Name(v.name, 'output');
        words.push(`\${{outputs.${name}}}`);
        continue;
      }
      const text = this.argumentText(e, node, nodeInputs);
      if (text === undefined) {
        this.rows.push({ step: stepName, v1: `PythonScriptStep.arguments: ${srcOf(e)}`, note: 'Computed at run time: add it to `command` by hand.', at: e.at, manual: true });
        continue;
      }
      const input = /^\$\{\{inputs\.(\w+)\}\}$/.exec(text)?.[1];
      if (input) named.add(input);
      words.push(text);
    }
    if (argList.length) this.rows.push({ step: stepName, v1: `PythonScriptStep.arguments = ${srcOf(kw.arguments)}`, v2: `jobs.${node}.command`, at: kw.arguments.at });
    const inList = kw.inputs ? (kw.inputs.k === 'list' ? kw.inputs.items : [kw.inputs]) : [];
    for (const e of inList) {
      const name = this.bindData(e, nodeInputs, stepName, false);
      if (!name || named.has(name)) continue;
      words.push(`--${name}`, `\${{inputs.${name}}}`);
      this.rows.push({
        step: stepName,
        v1: `PythonScriptStep.inputs: ${srcOf(e)}`,
        v2: `jobs.${node}.inputs.${name}, passed as --${name} \${{inputs.${name}}}`,
        note: 'v1 also handed inputs over through Run.input_datasets / environment variables; v2 passes paths on the command line only: read the argument in the script.',
        at: e.at,
        manual: true,
      });
    }
    job.command = words.join(' ');
    if (where) this.entryScript(where.script, stepName, nodeInputs, undefined, job);
    if (kw.runconfig) {
      const env = this.runconfigEnvironment(kw.runconfig, node, stepName);
      if (env) job.environment = env;
    }
    const compute = kw.compute_target ? this.computeOf(kw.compute_target, stepName) : undefined;
    if (compute) this.useCompute(job, compute);
    this.reuse(kw.allow_reuse, job, node, stepName);
    if (Object.keys(nodeInputs).length) job.inputs = nodeInputs;
    if (Object.keys(nodeOutputs).length) job.outputs = nodeOutputs;
    this.jobs[node] = job;
  }

  private runconfigEnvironment(e: Expr, node: string, stepName: string): unknown {
    if (e.k !== 'name') return undefined;
    const envAssign = this.ev.attributeAssignments(e.id).get('environment');
    if (!envAssign) {
      this.rows.push({ step: stepName, v1: `PythonScriptStep.runconfig = ${e.id}`, note: `No \`${e.id}.environment = …\` in this file: set the node's environment by hand.`, at: e.at, manual: true });
      return undefined;
    }
    const env = environmentOf(this.ev.eval(envAssign.value), node, this.inputNames);
    this.files.push(...env.files);
    for (const r of env.rows) this.rows.push({ step: stepName, ...r });
    return env.environment;
  }

  // ---- shared pieces ----

  /** A script only a `%%writefile` cell holds is written into `<out>/src`, which becomes the code folder. */
  private placeScript(where: ReturnType<typeof scriptPathOf>, stepName: string): ReturnType<typeof scriptPathOf> {
    const written = where && !existsSync(where.script) ? this.options.writtenScripts?.get(where.script) : undefined;
    if (!where || !written) return where;
    const rel = path.relative(where.codeDir, where.script).split(path.sep).join('/');
    const codeDir = path.join(this.options.outDir, 'src');
    if (!this.files.some((f) => f.path === `src/${rel}`)) this.files.push({ path: `src/${rel}`, text: written.text });
    this.rows.push({
      step: stepName,
      v1: `%%writefile ${rel}`,
      v2: `src/${rel} (task.code: ./src)`,
      note: `The script is in the notebook only (the %%writefile cell): it was written into src/ beside the spec. Put the other files it needs there too.`,
      at: written.at,
    });
    const script = path.join(codeDir, rel);
    const parsed = this.options.scripts.get(where.script);
    if (parsed) this.options.scripts.set(script, parsed);
    return { codeDir, script, codeKnown: true };
  }

  private v1NameOf(node: string): string {
    return this.renames.find((r) => r.v2 === node)?.v1 ?? node;
  }

  /** Adds a node input for a v1 data reference and returns its name. */
  private bindData(e: Expr, nodeInputs: Record<string, unknown>, stepName: string, tabularHint: boolean): string | undefined {
    const value = this.ev.eval(e);
    let consumption: Extract<Value, { t: 'consumption' }> | undefined;
    let data: Value = value;
    if (value.t === 'consumption') {
      consumption = value;
      data = value.of;
    }
    if (data.t === 'pipelineData') {
      const producer = this.produced.get(data.name);
      const name = v2Name(consumption?.name ?? data.name, 'input');
      if (!producer) {
        this.rows.push({ step: stepName, v1: srcOf(e), note: `No step in this file writes \`${data.name}\`: bind jobs.…inputs.${name} by hand.`, at: e.at, manual: true });
        return undefined;
      }
      this.consumed.add(data.name);
      nodeInputs[name] = `\${{parent.jobs.${producer.node}.outputs.${producer.output}}}`;
      this.rows.push({ step: stepName, v1: `${srcOf(e)} (${data.kind} from another step)`, v2: `inputs.${name}: \${{parent.jobs.${producer.node}.outputs.${producer.output}}}`, at: e.at });
      return name;
    }
    const variable = e.k === 'name' ? e.id : undefined;
    let pipelineName: string;
    let dataset: Value = data;
    if (data.t === 'param') {
      pipelineName = v2Name(data.name, 'input');
      dataset = data.def;
      this.rows.push({
        step: stepName,
        v1: `PipelineParameter(name=${JSON.stringify(data.name)}, default_value=${'src' in data.def ? data.def.src : srcOf(e)})`,
        v2: `inputs.${pipelineName} (pipeline input; change it with --set inputs.${pipelineName}.path=…)`,
        at: data.at,
      });
    } else pipelineName = v2Name(consumption?.name ?? variable ?? 'data', 'input');
    const nodeName = v2Name(consumption?.name ?? pipelineName, 'input');
    if (!(pipelineName in this.inputs)) {
      const made = dataInput(dataset, consumption?.mode, { baseDir: this.baseDir, outDir: this.options.outDir, inputName: pipelineName, step: stepName, tabularHint });
      if (!made) {
        this.rows.push({ step: stepName, v1: srcOf(e), note: 'Not a dataset this converter knows: add the input by hand.', at: e.at, manual: true });
        return undefined;
      }
      this.inputNames.add(pipelineName);
      this.inputs[pipelineName] = made.spec;
      if (made.file) this.files.push(made.file);
      if (made.table) this.cloudTables.push(made.table);
      this.rows.push(...made.rows);
      if (consumption?.mode) this.rows.push({ step: stepName, v1: `${srcOf(e)} mode`, v2: `inputs.${pipelineName}.mode: ${(made.spec as { mode?: string }).mode ?? 'default'}`, at: consumption.at });
    }
    nodeInputs[nodeName] = `\${{parent.inputs.${pipelineName}}}`;
    return nodeName;
  }

  /** A scalar setting: a literal, or a pipeline input for a PipelineParameter. */
  private scalar(e: Expr, node: string, nodeInputs: Record<string, unknown>): { text: string | number; note?: string } | undefined {
    const v = this.ev.eval(e);
    if (v.t === 'param') {
      const lit = literalOf(v.def);
      if (!lit || lit.v === null) return undefined;
      const name = v2Name(v.name, 'param');
      this.inputs[name] = lit.v;
      this.inputNames.add(name);
      void node;
      void nodeInputs;
      return { text: `\${{parent.inputs.${name}}}`, note: `PipelineParameter \`${v.name}\` is the pipeline input \`${name}\` (default ${JSON.stringify(lit.v)}); change it with --set inputs.${name}=…` };
    }
    const lit = literalOf(v);
    if (!lit || lit.v === null || typeof lit.v === 'boolean') return undefined;
    if (v.t === 'env') return { text: lit.v, note: `os.environ.get(${JSON.stringify(v.name)}): the default ${JSON.stringify(lit.v)} is written; v2 reads no environment variable here.` };
    return { text: lit.v };
  }

  /** One program argument: a literal, `${{inputs.p}}` for a PipelineParameter or a dataset. */
  private argumentText(e: Expr, node: string, nodeInputs: Record<string, unknown>): string | undefined {
    const v = this.ev.eval(e);
    if (v.t === 'param' && v.def.t === 'lit') {
      const name = v2Name(v.name, 'param');
      this.inputs[name] = v.def.v;
      this.inputNames.add(name);
      nodeInputs[name] = `\${{parent.inputs.${name}}}`;
      return `\${{inputs.${name}}}`;
    }
    if (['consumption', 'fileDs', 'tabDs', 'registered', 'param', 'pipelineData'].includes(unwrap(v).t)) {
      const name = this.bindData(e, nodeInputs, this.v1NameOf(node), false);
      return name ? `\${{inputs.${name}}}` : undefined;
    }
    const lit = literalOf(v);
    if (!lit || lit.v === null) return undefined;
    return shellWord(String(lit.v));
  }

  private computeOf(e: Expr, stepName: string): string | undefined {
    const v = this.ev.eval(e);
    const nameValue = v.t === 'compute' ? v.name : v;
    const lit = literalOf(nameValue);
    if (!lit || typeof lit.v !== 'string') {
      this.rows.push({ step: stepName, v1: `compute_target = ${srcOf(e)}`, note: 'The compute name is computed at run time: set settings.default_compute by hand.', at: e.at, manual: true });
      return undefined;
    }
    const viaEnv = nameValue.t === 'env' ? ` (os.environ.get(${JSON.stringify(nameValue.name)}) default; v2 reads no environment variable here)` : '';
    this.rows.push({ step: stepName, v1: `compute_target = ${srcOf(e)}`, v2: `azureml:${lit.v}${viaEnv}`, note: 'Only used when submitting: local runs ignore the compute.', at: e.at });
    return lit.v;
  }

  private useCompute(job: Record<string, unknown>, compute: string): void {
    if (this.computes.length === 0) this.computes.push(compute);
    else if (this.computes[0] !== compute) job.compute = `azureml:${compute}`;
  }

  private reuse(e: Expr | undefined, job: Record<string, unknown>, node: string, stepName: string): void {
    if (!e) return;
    const lit = literalOf(this.ev.eval(e));
    if (lit?.v === false) {
      job.is_deterministic = false;
      this.rows.push({ step: stepName, v1: 'allow_reuse=False', v2: `jobs.${node}.is_deterministic: false`, at: e.at });
    } else this.rows.push({ step: stepName, v1: `allow_reuse=${srcOf(e)}`, v2: '(the v2 default: is_deterministic true)', at: e.at });
  }

  /** Reads the entry script for v1-only calls and adds the model inputs they need. */
  private entryScript(script: string, stepName: string, nodeInputs: Record<string, unknown>, args?: string[], command?: Record<string, unknown>): void {
    const parsed = this.options.scripts.get(script);
    const rel = relativeTo(this.options.outDir, script).replace(/^\.\//, '');
    if (!parsed) {
      this.notes.push(`The entry script ${rel} was not found (nor written by a %%writefile cell): check it by hand for Model.get_model_path and Run.get_context.`);
      return;
    }
    const found = entryScriptChanges(parsed, rel);
    const models: ModelUse[] = found.models;
    const single = models.length === 1;
    for (const m of models) {
      const input = unique(v2Name(`${m.name}_model`, 'model'), new Set(Object.keys(this.inputs).filter((k) => !k.endsWith('_model'))));
      this.inputs[input] = { type: 'custom_model', path: m.version ? `azureml:${m.name}:${m.version}` : `azureml:${m.name}@latest` };
      this.inputNames.add(input);
      nodeInputs[input] = `\${{parent.inputs.${input}}}`;
      const flag = single ? '--model' : `--${input}`;
      if (args) args.unshift(flag, `\${{inputs.${input}}}`);
      if (command) command.command = `${command.command} ${flag} \${{inputs.${input}}}`;
      this.rows.push({
        step: stepName,
        v1: `Model.get_model_path(${JSON.stringify(m.name)}) in ${rel}`,
        v2: `inputs.${input}: {type: custom_model, path: azureml:${m.name}${m.version ? `:${m.version}` : '@latest'}}, passed as ${flag} \${{inputs.${input}}}`,
        note: `Local runs: --set inputs.${input}.path=<model folder>.`,
        at: m.at,
      });
      this.scriptChanges.push({
        script: rel,
        at: m.at,
        code: m.code,
        change: `Read the model folder from the \`${flag}\` argument instead: \`parser.add_argument("${flag}"); args, _ = parser.parse_known_args(); model_path = args.${flag.slice(2)}\`.`,
      });
    }
    this.scriptChanges.push(...found.changes);
  }
}

/** A dataset behind `.as_mount()` / `.as_input()` and the like. */
function unwrap(v: Value): Value {
  return v.t === 'consumption' ? unwrap(v.of) : v;
}

/** Quotes a word for program_arguments / command when it holds spaces or quotes. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

/** Fields in the order the digits sample writes them, so the file reads top-down. */
function orderParallel(job: Record<string, unknown>, task: Record<string, unknown>): Record<string, unknown> {
  const order = [
    'type',
    'description',
    'compute',
    'inputs',
    'outputs',
    'input_data',
    'mini_batch_size',
    'partition_keys',
    'error_threshold',
    'mini_batch_error_threshold',
    'logging_level',
    'resources',
    'max_concurrency_per_instance',
    'retry_settings',
    'environment_variables',
    'is_deterministic',
  ];
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in job) out[k] = job[k];
  for (const k of Object.keys(job)) if (!(k in out)) out[k] = job[k];
  const taskOrder = ['type', 'code', 'entry_script', 'environment', 'program_arguments', 'append_row_to'];
  const orderedTask: Record<string, unknown> = {};
  for (const k of taskOrder) if (k in task) orderedTask[k] = task[k];
  out.task = orderedTask;
  return out;
}

export type { At };
