/**
 * How to run a run again: its sample, or (for "debug this mini-batch" replays) its exact mini-batches.
 * Kept in workspaceState per run folder, for the most recent runs only.
 */
import type * as vscode from 'vscode';
import type { SampleOptions } from '../../core/local/partition/types';

export type RerunRecipe = { sample: SampleOptions } | { replay: true };

const KEY = 'parallelRun.rerunRecipes';
const KEPT = 200;

export function recipeOf(state: vscode.Memento, runDir: string): RerunRecipe | undefined {
  return state.get<Record<string, RerunRecipe>>(KEY, {})[runDir];
}

export function rememberRecipe(state: vscode.Memento, runDir: string, recipe: RerunRecipe): Thenable<void> {
  const entries = Object.entries(state.get<Record<string, RerunRecipe>>(KEY, {})).filter(([dir]) => dir !== runDir);
  entries.push([runDir, recipe]);
  return state.update(KEY, Object.fromEntries(entries.slice(-KEPT)));
}
