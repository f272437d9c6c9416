/**
 * v1 pipeline code → a v2 pipeline: every ParallelRunStep a `type: parallel` node, every PythonScriptStep a
 * `type: command` node, PipelineParameters pipeline inputs, PipelineData between steps node outputs bound
 * to the next node's inputs. Each v1 setting leaves a row saying where it went (see plan.ts).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { commandStep } from './command-step';
import { dataInput, relativeTo } from './data';
import { v2Name, v2NodeName, unique } from './names';
import { parallelStep } from './parallel-step';
import type { MappingRow, MigrationPlan, ScriptChange, SideFile } from './plan';
import { entryScriptChanges, type ModelUse } from './script-changes';
import { describeAt, type At, type Expr, type V1Source } from './source';
import { findSteps, scriptPathOf, shellWord, unwrap, type StepCall } from './steps';
import { Evaluator, funcName, literalOf, srcOf, type Value } from './values';

export { findSteps, scriptPathOf, type StepCall } from './steps';

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

/** A PipelineData and the node output that produces it. */
interface Produced {
  node: string;
  output: string;
  /** Where OutputFileDatasetConfig(destination=…) stores it. */
  path?: string;
}

/** Converts the file; every v1 setting met leaves a row in the plan. */
export function convert(source: V1Source, options: ConvertOptions): MigrationPlan {
  return new PipelineBuilder(source, options).run();
}

export class PipelineBuilder {
  readonly ev: Evaluator;
  readonly baseDir: string;
  readonly rows: MappingRow[] = [];
  readonly files: SideFile[] = [];
  readonly scriptChanges: ScriptChange[] = [];
  readonly renames: { v1: string; v2: string }[] = [];
  readonly notes: string[] = [];
  readonly cloudTables: MigrationPlan['cloudTables'] = [];
  readonly inputs: Record<string, unknown> = {};
  readonly outputs: Record<string, unknown> = {};
  readonly jobs: Record<string, Record<string, unknown>> = {};
  readonly nodeNames = new Set<string>();
  readonly inputNames = new Set<string>();
  readonly produced = new Map<string, Produced>();
  readonly consumed = new Set<string>();
  readonly computes: string[] = [];
  readonly file: string;

  constructor(
    readonly source: V1Source,
    readonly options: ConvertOptions,
  ) {
    this.ev = new Evaluator(source);
    this.baseDir = path.dirname(options.sourceFile);
    this.file = path.basename(options.sourceFile);
  }

  run(): MigrationPlan {
    for (const s of this.source.syntaxErrors) this.notes.push(`${describeAt(this.file, s.at)}: not read (${s.message}).`);
    for (const s of this.source.skipped)
      this.notes.push(`${describeAt(this.file, s.at)}: \`${s.text}\` skipped (a magic or shell line, not Python).`);
    const steps = findSteps(this.source);
    const names = steps.map((s) => this.nodeNameOf(s));
    // Outputs first, so a step can bind to a later-written producer too.
    steps.forEach((s, i) => this.registerOutputs(s, names[i]));
    steps.forEach((s, i) => (s.kind === 'ParallelRunStep' ? parallelStep(this, s, names[i]) : commandStep(this, s, names[i])));
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

  spec(): Record<string, unknown> {
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

  experimentName(): string | undefined {
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
  resubmissions(): void {
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
        } else if (lit && lit.v !== null) sets.push(`--set inputs.${name}=${lit.v}`);
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

  nodeNameOf(step: StepCall): string {
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
  registerOutputs(step: StepCall, node: string): void {
    const kw = step.call.kwargs;
    const outs: Expr[] = [];
    if (step.kind === 'ParallelRunStep' && kw.output) outs.push(kw.output);
    if (step.kind === 'PythonScriptStep' && kw.outputs) outs.push(...(kw.outputs.k === 'list' ? kw.outputs.items : [kw.outputs]));
    for (const e of outs) {
      const v = unwrap(this.ev.eval(e));
      if (v.t === 'pipelineData')
        this.produced.set(v.name, { node, output: v2Name(v.name, 'output'), ...(v.destination ? { path: v.destination } : {}) });
    }
  }

  // ---- shared pieces ----

  /** Takes an environment's side files; a conda file identical to one already written is shared, not repeated. */
  adoptFiles(env: { environment?: unknown; files: SideFile[] }): void {
    for (const f of env.files) {
      const same = this.files.find((g) => g.text === f.text && g.path.endsWith('_conda.yml'));
      const target = env.environment as { conda_file?: string } | undefined;
      if (same && target?.conda_file === `./${f.path}`) target.conda_file = `./${same.path}`;
      else this.files.push(f);
    }
  }

  /** A script only a `%%writefile` cell holds is written into `<out>/src`, which becomes the code folder. */
  placeScript(where: ReturnType<typeof scriptPathOf>, stepName: string): ReturnType<typeof scriptPathOf> {
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

  v1NameOf(node: string): string {
    return this.renames.find((r) => r.v2 === node)?.v1 ?? node;
  }

  /** Adds a node input for a v1 data reference and returns its name. */
  bindData(e: Expr, nodeInputs: Record<string, unknown>, stepName: string, tabularHint: boolean): string | undefined {
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
        this.rows.push({
          step: stepName,
          v1: srcOf(e),
          note: `No step in this file writes \`${data.name}\`: bind jobs.…inputs.${name} by hand.`,
          at: e.at,
          manual: true,
        });
        return undefined;
      }
      this.consumed.add(data.name);
      nodeInputs[name] = `\${{parent.jobs.${producer.node}.outputs.${producer.output}}}`;
      this.rows.push({
        step: stepName,
        v1: `${srcOf(e)} (${data.kind} from another step)`,
        v2: `inputs.${name}: \${{parent.jobs.${producer.node}.outputs.${producer.output}}}`,
        at: e.at,
      });
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
      const made = dataInput(dataset, consumption?.mode, {
        baseDir: this.baseDir,
        outDir: this.options.outDir,
        inputName: pipelineName,
        step: stepName,
        tabularHint,
      });
      if (!made) {
        this.rows.push({
          step: stepName,
          v1: srcOf(e),
          note: 'Not a dataset this converter knows: add the input by hand.',
          at: e.at,
          manual: true,
        });
        return undefined;
      }
      this.inputNames.add(pipelineName);
      this.inputs[pipelineName] = made.spec;
      if (made.file) this.files.push(made.file);
      if (made.table) this.cloudTables.push(made.table);
      this.rows.push(...made.rows);
      if (consumption?.mode)
        this.rows.push({
          step: stepName,
          v1: `${srcOf(e)} mode`,
          v2: `inputs.${pipelineName}.mode: ${(made.spec as { mode?: string }).mode ?? 'default'}`,
          at: consumption.at,
        });
    }
    nodeInputs[nodeName] = `\${{parent.inputs.${pipelineName}}}`;
    return nodeName;
  }

  /** A scalar setting: a literal, or a pipeline input for a PipelineParameter. */
  scalar(e: Expr, node: string, nodeInputs: Record<string, unknown>): { text: string | number; note?: string } | undefined {
    const v = this.ev.eval(e);
    if (v.t === 'param') {
      const lit = literalOf(v.def);
      if (!lit || lit.v === null) return undefined;
      const name = v2Name(v.name, 'param');
      this.inputs[name] = lit.v;
      this.inputNames.add(name);
      void node;
      void nodeInputs;
      return {
        text: `\${{parent.inputs.${name}}}`,
        note: `PipelineParameter \`${v.name}\` is the pipeline input \`${name}\` (default ${JSON.stringify(lit.v)}); change it with --set inputs.${name}=…`,
      };
    }
    const lit = literalOf(v);
    if (!lit || lit.v === null || typeof lit.v === 'boolean') return undefined;
    if (v.t === 'env')
      return {
        text: lit.v,
        note: `os.environ.get(${JSON.stringify(v.name)}): the default ${JSON.stringify(lit.v)} is written; v2 reads no environment variable here.`,
      };
    return { text: lit.v };
  }

  /** One program argument: a literal, `${{inputs.p}}` for a PipelineParameter or a dataset. */
  argumentText(e: Expr, node: string, nodeInputs: Record<string, unknown>): string | undefined {
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

  computeOf(e: Expr, stepName: string): string | undefined {
    const v = this.ev.eval(e);
    const nameValue = v.t === 'compute' ? v.name : v;
    const lit = literalOf(nameValue);
    if (!lit || typeof lit.v !== 'string') {
      this.rows.push({
        step: stepName,
        v1: `compute_target = ${srcOf(e)}`,
        note: 'The compute name is computed at run time: set settings.default_compute by hand.',
        at: e.at,
        manual: true,
      });
      return undefined;
    }
    const viaEnv =
      nameValue.t === 'env' ? ` (os.environ.get(${JSON.stringify(nameValue.name)}) default; v2 reads no environment variable here)` : '';
    this.rows.push({
      step: stepName,
      v1: `compute_target = ${srcOf(e)}`,
      v2: `azureml:${lit.v}${viaEnv}`,
      note: 'Only used when submitting: local runs ignore the compute.',
      at: e.at,
    });
    return lit.v;
  }

  useCompute(job: Record<string, unknown>, compute: string): void {
    if (this.computes.length === 0) this.computes.push(compute);
    else if (this.computes[0] !== compute) job.compute = `azureml:${compute}`;
  }

  reuse(e: Expr | undefined, job: Record<string, unknown>, node: string, stepName: string): void {
    if (!e) return;
    const lit = literalOf(this.ev.eval(e));
    if (lit?.v === false) {
      job.is_deterministic = false;
      this.rows.push({ step: stepName, v1: 'allow_reuse=False', v2: `jobs.${node}.is_deterministic: false`, at: e.at });
    } else this.rows.push({ step: stepName, v1: `allow_reuse=${srcOf(e)}`, v2: '(the v2 default: is_deterministic true)', at: e.at });
  }

  /** Reads the entry script for v1-only calls and adds the model inputs they need. */
  entryScript(
    script: string,
    stepName: string,
    nodeInputs: Record<string, unknown>,
    args?: string[],
    command?: Record<string, unknown>,
  ): void {
    const parsed = this.options.scripts.get(script);
    const rel = relativeTo(this.options.outDir, script).replace(/^\.\//, '');
    if (!parsed) {
      this.notes.push(
        `The entry script ${rel} was not found (nor written by a %%writefile cell): check it by hand for Model.get_model_path and Run.get_context.`,
      );
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
