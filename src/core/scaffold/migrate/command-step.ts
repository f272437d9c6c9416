/** PythonScriptStep → a `type: command` node: `python <script> <arguments>`, its data as inputs and outputs. */
import { relativeTo } from './data';
import { environmentOf } from './environment';
import { v2Name } from './names';
import type { PipelineBuilder } from './convert';
import type { Expr } from './source';
import { scriptPathOf, unwrap, type StepCall } from './steps';
import { srcOf, type Value } from './values';
import * as path from 'node:path';

export function commandStep(b: PipelineBuilder, step: StepCall, node: string): void {
  const kw = step.call.kwargs;
  const stepName = b.v1NameOf(node);
  const job: Record<string, unknown> = { type: 'command' };
  const nodeInputs: Record<string, unknown> = {};
  const nodeOutputs: Record<string, unknown> = {};
  const outputsOfStep = new Set<string>();
  const outList = kw.outputs ? (kw.outputs.k === 'list' ? kw.outputs.items : [kw.outputs]) : [];
  for (const e of outList) {
    const v = unwrap(b.ev.eval(e));
    if (v.t === 'pipelineData') {
      const name = v2Name(v.name, 'output');
      outputsOfStep.add(v.name);
      nodeOutputs[name] = { type: 'uri_folder', ...(v.destination ? { path: v.destination } : {}), mode: 'rw_mount' };
      if (v.destination)
        b.rows.push({ step: stepName, v1: `${v.kind}(destination=…)`, v2: `outputs.${name}.path: ${v.destination}`, at: v.at });
      b.rows.push({ step: stepName, v1: `PythonScriptStep.outputs: ${srcOf(e)}`, v2: `jobs.${node}.outputs.${name}`, at: e.at });
    }
  }
  const where = b.placeScript(scriptPathOf(step, b.ev, b.baseDir), stepName);
  const words: string[] = ['python'];
  if (where) {
    job.code = relativeTo(b.options.outDir, where.codeDir);
    words.push(path.relative(where.codeDir, where.script).split(path.sep).join('/'));
    b.rows.push({
      step: stepName,
      v1: `PythonScriptStep.script_name, source_directory`,
      v2: `jobs.${node}.code: ${job.code}, command: python ${words[1]} …`,
      at: step.call.at,
    });
  } else {
    words.push('<script.py>');
    b.rows.push({
      step: stepName,
      v1: 'PythonScriptStep.script_name',
      note: 'Computed at run time: write the script into `command` by hand.',
      at: step.call.at,
      manual: true,
    });
  }
  const argList = kw.arguments ? (kw.arguments.k === 'list' ? kw.arguments.items : [kw.arguments]) : [];
  const named = new Set<string>();
  for (const e of argList) {
    const v = unwrap(b.ev.eval(e));
    if (v.t === 'pipelineData' && outputsOfStep.has(v.name)) {
      const name = v2Name(v.name, 'output');
      words.push(`\${{outputs.${name}}}`);
      continue;
    }
    const text = b.argumentText(e, node, nodeInputs);
    if (text === undefined) {
      b.rows.push({
        step: stepName,
        v1: `PythonScriptStep.arguments: ${srcOf(e)}`,
        note: 'Computed at run time: add it to `command` by hand.',
        at: e.at,
        manual: true,
      });
      continue;
    }
    const input = /^\$\{\{inputs\.(\w+)\}\}$/.exec(text)?.[1];
    if (input) named.add(input);
    words.push(text);
  }
  if (argList.length)
    b.rows.push({
      step: stepName,
      v1: `PythonScriptStep.arguments = ${srcOf(kw.arguments)}`,
      v2: `jobs.${node}.command`,
      at: kw.arguments.at,
    });
  const inList = kw.inputs ? (kw.inputs.k === 'list' ? kw.inputs.items : [kw.inputs]) : [];
  for (const e of inList) {
    const name = b.bindData(e, nodeInputs, stepName, false);
    if (!name || named.has(name)) continue;
    words.push(`--${name}`, `\${{inputs.${name}}}`);
    b.rows.push({
      step: stepName,
      v1: `PythonScriptStep.inputs: ${srcOf(e)}`,
      v2: `jobs.${node}.inputs.${name}, passed as --${name} \${{inputs.${name}}}`,
      note: 'v1 also handed inputs over through Run.input_datasets / environment variables; v2 passes paths on the command line only: read the argument in the script.',
      at: e.at,
      manual: true,
    });
  }
  job.command = words.join(' ');
  if (where) b.entryScript(where.script, stepName, nodeInputs, undefined, job);
  if (kw.runconfig) {
    const env = runconfigEnvironment(b, kw.runconfig, node, stepName);
    if (env) job.environment = env;
  } else {
    b.rows.push({
      step: stepName,
      v1: 'PythonScriptStep without runconfig',
      note: "v1 ran it in its default environment; a v2 command node needs one: set `environment` (e.g. the parallel node's).",
      at: step.call.at,
      manual: true,
    });
  }
  const compute = kw.compute_target ? b.computeOf(kw.compute_target, stepName) : undefined;
  if (compute) b.useCompute(job, compute);
  b.reuse(kw.allow_reuse, job, node, stepName);
  if (Object.keys(nodeInputs).length) job.inputs = nodeInputs;
  if (Object.keys(nodeOutputs).length) job.outputs = nodeOutputs;
  b.jobs[node] = job;
}

function runconfigEnvironment(b: PipelineBuilder, e: Expr, node: string, stepName: string): unknown {
  if (e.k !== 'name') return undefined;
  const attrs = b.ev.attributeAssignments(e.id);
  const envAssign = attrs.get('environment');
  // RunConfiguration(conda_dependencies=…), or run_config.environment.python.conda_dependencies = … / .docker.base_image = …
  const made = b.ev.lookup(e.id, e.at);
  const condaExpr =
    attrs.get('environment.python.conda_dependencies')?.value ?? (made.t === 'object' ? made.kwargs.conda_dependencies : undefined);
  const imageExpr = attrs.get('environment.docker.base_image')?.value;
  if (!envAssign && (condaExpr || imageExpr)) {
    const built: Value = {
      t: 'environment',
      name: `${node}-env`,
      at: e.at,
      ...(condaExpr ? { conda: b.ev.eval(condaExpr) } : {}),
      ...(imageExpr ? { image: b.ev.eval(imageExpr) } : {}),
    };
    const env = environmentOf(built, node, { baseDir: b.baseDir, outDir: b.options.outDir });
    b.adoptFiles(env);
    for (const r of env.rows) b.rows.push({ step: stepName, ...r });
    return env.environment;
  }
  if (!envAssign) {
    b.rows.push({
      step: stepName,
      v1: `PythonScriptStep.runconfig = ${e.id}`,
      note: `No \`${e.id}.environment = …\` in this file: set the node's environment by hand.`,
      at: e.at,
      manual: true,
    });
    return undefined;
  }
  const env = environmentOf(b.ev.eval(envAssign.value), node, { baseDir: b.baseDir, outDir: b.options.outDir });
  b.adoptFiles(env);
  for (const r of env.rows) b.rows.push({ step: stepName, ...r });
  return env.environment;
}
