/** ParallelRunStep + ParallelRunConfig → a `type: parallel` node, each setting per parallel-run-semantics.md's table. */
import * as path from 'node:path';
import { relativeTo } from './data';
import { environmentOf } from './environment';
import { v2Name } from './names';
import type { PipelineBuilder } from './convert';
import { scriptPathOf, setPath, unwrap, type StepCall } from './steps';
import { literalOf, srcOf } from './values';

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

export function parallelStep(b: PipelineBuilder, step: StepCall, node: string): void {
  const kw = step.call.kwargs;
  const stepName = b.v1NameOf(node);
  const job: Record<string, unknown> = { type: 'parallel' };
  const nodeInputs: Record<string, unknown> = {};
  const nodeOutputs: Record<string, unknown> = {};
  const task: Record<string, unknown> = { type: 'run_function' };
  const args: string[] = [];
  const cfgExpr = kw.parallel_run_config ?? step.call.args[1];
  const cfgValue = cfgExpr ? b.ev.eval(cfgExpr) : undefined;
  if (cfgValue?.t !== 'object' || cfgValue.kind !== 'ParallelRunConfig') {
    b.rows.push({
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
    b.rows.push({ step: stepName, v1: `${cfgName}.${key} = ${e ? srcOf(e) : ''}`, v2, note, at: e?.at, manual });
  };

  // Inputs: the first is split into mini-batches; the rest and side_inputs are plain inputs.
  const mbs = cfg.mini_batch_size ? literalOf(b.ev.eval(cfg.mini_batch_size)) : undefined;
  const tabularHint = typeof mbs?.v === 'string' && /[kmg]b$/i.test(mbs.v);
  const inputList = kw.inputs ? (kw.inputs.k === 'list' ? kw.inputs.items : [kw.inputs]) : [];
  inputList.forEach((e, i) => {
    const name = b.bindData(e, nodeInputs, stepName, tabularHint);
    if (!name) return;
    if (i === 0) {
      job.input_data = `\${{inputs.${name}}}`;
      b.rows.push({
        step: stepName,
        v1: `ParallelRunStep.inputs[0] = ${srcOf(e)}`,
        v2: `jobs.${node}.input_data: \${{inputs.${name}}}`,
        at: e.at,
      });
    } else {
      b.rows.push({
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
    const name = b.bindData(e, nodeInputs, stepName, false);
    if (name) {
      args.push(`--${name}`, `\${{inputs.${name}}}`);
      b.rows.push({
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
    const v = unwrap(b.ev.eval(kw.output));
    if (v.t === 'pipelineData') {
      outputName = v2Name(v.name, 'output');
      nodeOutputs[outputName] = { type: 'uri_folder', ...(v.destination ? { path: v.destination } : {}), mode: 'rw_mount' };
      if (v.destination)
        b.rows.push({ step: stepName, v1: `${v.kind}(destination=…)`, v2: `outputs.${outputName}.path: ${v.destination}`, at: v.at });
      b.rows.push({
        step: stepName,
        v1: `ParallelRunStep.output = ${srcOf(kw.output)}`,
        v2: `jobs.${node}.outputs.${outputName}`,
        at: kw.output.at,
      });
      for (const extra of v.extras) {
        b.rows.push({
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
    const value = b.scalar(e, node, nodeInputs);
    if (value === undefined) {
      row(key, undefined, `\`${srcOf(e)}\` is computed at run time: set \`${field}\` by hand.`, true);
      continue;
    }
    setPath(job, field, value.text);
    row(key, `jobs.${node}.${field}: ${value.text}`, value.note);
  }
  if (cfg.run_max_try) {
    const value = b.ev.eval(cfg.run_max_try);
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
    const v = b.ev.eval(cfg.partition_keys);
    const keys = v.t === 'list' ? v.items.map((i) => literalOf(i)?.v) : [];
    if (keys.length && keys.every((k) => typeof k === 'string')) {
      job.partition_keys = keys;
      row(
        'partition_keys',
        `jobs.${node}.partition_keys: [${keys.join(', ')}]`,
        cfg.mini_batch_size ? 'v2 uses partition_keys and ignores mini_batch_size (v1 refused both).' : undefined,
      );
      if (cfg.mini_batch_size) delete job.mini_batch_size;
    } else row('partition_keys', undefined, 'Not a list of names: set partition_keys by hand.', true);
  }
  if (cfg.description) {
    const lit = literalOf(b.ev.eval(cfg.description));
    if (lit && typeof lit.v === 'string') {
      job.description = lit.v;
      row('description', `jobs.${node}.description`);
    }
  }
  if (cfg.environment_variables) {
    const e = cfg.environment_variables;
    const dict = e.k === 'name' ? b.ev.assignmentsTo(e.id).pop()?.value : e;
    if (dict?.k === 'dict') {
      const vars: Record<string, string> = {};
      for (const [k, v] of dict.items) {
        const kl = literalOf(b.ev.eval(k));
        const vl = literalOf(b.ev.eval(v));
        if (kl && vl) vars[String(kl.v)] = String(vl.v);
      }
      job.environment_variables = vars;
      row('environment_variables', `jobs.${node}.environment_variables`);
    } else row('environment_variables', undefined, 'Not a dict literal: copy the variables into environment_variables by hand.', true);
  }

  // Output action, thresholds the driver reads as arguments.
  const action = cfg.output_action ? literalOf(b.ev.eval(cfg.output_action))?.v : undefined;
  if (action === 'append_row') {
    if (!outputName) {
      outputName = 'output';
      nodeOutputs[outputName] = { type: 'uri_folder', mode: 'rw_mount' };
      b.produced.set(`${node}.output`, { node, output: outputName });
    }
    task.append_row_to = `\${{outputs.${outputName}}}`;
    row('output_action', `jobs.${node}.task.append_row_to: \${{outputs.${outputName}}}`);
    if (cfg.append_row_file_name) {
      const file = b.argumentText(cfg.append_row_file_name, node, nodeInputs);
      if (file !== undefined) {
        args.push('--append_row_file_name', file);
        row(
          'append_row_file_name',
          `program_arguments: --append_row_file_name ${file}`,
          'The v2 driver reads it from the program arguments.',
        );
      } else row('append_row_file_name', undefined, 'Computed at run time: add --append_row_file_name <name> to program_arguments.', true);
    }
  } else if (action === 'summary_only') {
    row(
      'output_action',
      `(no task.append_row_to)`,
      'summary_only is v2 without append_row_to: run() results only count toward the thresholds; the script writes its own files.',
    );
    if (cfg.append_row_file_name) row('append_row_file_name', undefined, 'Ignored with summary_only, as in v1.');
  } else if (cfg.output_action) row('output_action', undefined, 'Not append_row or summary_only: set task.append_row_to by hand.', true);
  if (cfg.allowed_failed_percent) {
    const text = b.argumentText(cfg.allowed_failed_percent, node, nodeInputs);
    if (text !== undefined) {
      args.push('--allowed_failed_percent', text);
      row(
        'allowed_failed_percent',
        `program_arguments: --allowed_failed_percent ${text}`,
        'v2 has no field for it; the driver reads the argument.',
      );
    } else row('allowed_failed_percent', undefined, 'Computed at run time: add --allowed_failed_percent N to program_arguments.', true);
  }

  // Code, entry script, environment, compute.
  const where = b.placeScript(scriptPathOf(step, b.ev, b.baseDir), stepName);
  if (where) {
    task.code = relativeTo(b.options.outDir, where.codeDir);
    task.entry_script = path.relative(where.codeDir, where.script).split(path.sep).join('/');
    row('entry_script', `jobs.${node}.task.entry_script: ${task.entry_script}`);
    if (cfg.source_directory) {
      row(
        'source_directory',
        `jobs.${node}.task.code: ${task.code}`,
        where.codeKnown
          ? 'Relative to the spec file.'
          : `\`${srcOf(cfg.source_directory)}\` is not known here: the notebook's folder was used; change task.code if the scripts are elsewhere.`,
        !where.codeKnown,
      );
    }
    b.entryScript(where.script, stepName, nodeInputs, args);
  } else row('entry_script', undefined, 'The entry script name is computed at run time: set task.entry_script by hand.', true);
  if (cfg.environment) {
    const env = environmentOf(b.ev.eval(cfg.environment), node, { baseDir: b.baseDir, outDir: b.options.outDir });
    if (env.environment) task.environment = env.environment;
    b.adoptFiles(env);
    for (const r of env.rows) b.rows.push({ step: stepName, ...r });
  }
  const compute = cfg.compute_target ? b.computeOf(cfg.compute_target, stepName) : undefined;
  if (compute) b.useCompute(job, compute);

  // Step-level settings.
  if (kw.arguments) {
    const list = kw.arguments.k === 'list' ? kw.arguments.items : [kw.arguments];
    const texts = list.map((e) => b.argumentText(e, node, nodeInputs));
    if (texts.every((t) => t !== undefined)) {
      args.unshift(...(texts as string[]));
      b.rows.push({
        step: stepName,
        v1: `ParallelRunStep.arguments = ${srcOf(kw.arguments)}`,
        v2: `jobs.${node}.task.program_arguments`,
        at: kw.arguments.at,
      });
    } else {
      b.rows.push({
        step: stepName,
        v1: `ParallelRunStep.arguments = ${srcOf(kw.arguments)}`,
        note: 'Some arguments are computed at run time: add them to program_arguments by hand.',
        at: kw.arguments.at,
        manual: true,
      });
    }
  }
  b.reuse(kw.allow_reuse, job, node, stepName);
  for (const key of Object.keys(kw)) {
    if (!['name', 'parallel_run_config', 'inputs', 'side_inputs', 'output', 'arguments', 'allow_reuse'].includes(key)) {
      b.rows.push({
        step: stepName,
        v1: `ParallelRunStep.${key} = ${srcOf(kw[key])}`,
        note:
          key === 'models'
            ? 'v2 has no model list on a node: add each model as an input (`type: custom_model`, `path: azureml:<name>@latest`) and pass its path as an argument.'
            : 'No v2 equivalent on a parallel node.',
        at: kw[key].at,
      });
    }
  }
  for (const key of Object.keys(cfg)) {
    if (!PRC_HANDLED.has(key)) row(key, undefined, 'No v2 equivalent on a parallel node.');
  }

  if (args.length) task.program_arguments = args.join(' ');
  if (Object.keys(nodeInputs).length) job.inputs = nodeInputs;
  if (Object.keys(nodeOutputs).length) job.outputs = nodeOutputs;
  b.jobs[node] = orderParallel(job, task);
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
