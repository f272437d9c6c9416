/** The v1 steps of a file (ParallelRunStep, PythonScriptStep), where their scripts are, and small helpers for their values. */
import * as path from 'node:path';
import type { Expr, V1Source } from './source';
import { Evaluator, funcName, literalOf, type Value } from './values';

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
export function scriptPathOf(
  step: StepCall,
  ev: Evaluator,
  baseDir: string,
): { codeDir: string; script: string; codeKnown: boolean } | undefined {
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

/** A dataset behind `.as_mount()` / `.as_input()` and the like. */
export function unwrap(v: Value): Value {
  return v.t === 'consumption' ? unwrap(v.of) : v;
}

/** Quotes a word for program_arguments / command when it holds spaces or quotes. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}
