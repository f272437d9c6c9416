/**
 * Which part of the input a local run covers: the first N mini-batches, files the user picks, or the
 * first N items/rows. The choice is remembered per spec (workspaceState) and offered first next time.
 */
import * as vscode from 'vscode';
import type { SampleOptions } from '../../core/local/partition/types';
import type { ParallelJob } from '../../core/spec/types';
import { config } from '../config';

const KEY = 'parallelRun.sample:';

export function rememberedSample(state: vscode.Memento, specFile: string): SampleOptions | undefined {
  return state.get<SampleOptions>(KEY + specFile);
}

export function rememberSample(state: vscode.Memento, specFile: string, sample: SampleOptions): Thenable<void> {
  return state.update(KEY + specFile, sample);
}

/** "first 2 mini-batches", "all of the input", "3 picked files", "first 100 rows". */
export function describeSample(sample: SampleOptions, job: Pick<ParallelJob, 'inputData'>): string {
  const unit = job.inputData.kind === 'tabular' ? 'rows' : 'files';
  if (sample.files) return `${sample.files.length} picked file${sample.files.length === 1 ? '' : 's'}`;
  if (sample.items !== undefined) return `first ${sample.items} ${unit}`;
  if (sample.miniBatches !== undefined) return `first ${sample.miniBatches} mini-batch${sample.miniBatches === 1 ? '' : 'es'}`;
  return 'all of the input';
}

interface SampleItem extends vscode.QuickPickItem {
  make: () => Promise<SampleOptions | undefined>;
}

/** Asks which sample to run; undefined when the user dismissed the question. */
export async function pickSample(job: ParallelJob, state: vscode.Memento): Promise<SampleOptions | undefined> {
  const resource = vscode.Uri.file(job.specFile);
  const n = config.sampleMiniBatches(resource);
  const files = job.inputData.kind === 'files';
  const unit = files ? 'files' : 'rows';
  const size = files ? `${job.miniBatchSize} file${job.miniBatchSize === 1 ? '' : 's'}` : `~${job.miniBatchSizeText}`;
  const items: SampleItem[] = [
    { label: `$(layers) First ${n} mini-batch${n === 1 ? '' : 'es'}`, description: `${size} each`, make: async () => ({ miniBatches: n }) },
    {
      label: '$(layers) First N mini-batches…',
      make: () => askNumber('How many mini-batches?', n).then((v) => (v ? { miniBatches: v } : undefined)),
    },
    {
      label: `$(list-ordered) First N ${unit}…`,
      make: () => askNumber(`How many ${unit}?`, files ? job.miniBatchSize * n : 100).then((v) => (v ? { items: v } : undefined)),
    },
  ];
  if (files) items.push({ label: '$(files) Pick files…', description: 'from the input folder', make: () => pickFiles(job) });
  items.push({ label: '$(database) All of the input', description: 'every mini-batch, as the cloud would run', make: async () => ({}) });

  const last = rememberedSample(state, job.specFile);
  if (last && !(last.miniBatches === n && Object.keys(last).length === 1)) {
    items.unshift({ label: `$(history) Same as last time: ${describeSample(last, job)}`, make: async () => last });
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Run ${job.nodeName} locally: which part of the input?`,
    placeHolder: 'Start small: a sample shows whether init() and run() work before the whole input runs',
    ignoreFocusOut: true,
  });
  const sample = await chosen?.make();
  if (sample) await rememberSample(state, job.specFile, sample);
  return sample;
}

async function askNumber(prompt: string, value: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\s*[1-9][0-9]*\s*$/.test(v) ? undefined : 'A whole number, 1 or more'),
  });
  return text === undefined ? undefined : Number(text.trim());
}

async function pickFiles(job: ParallelJob): Promise<SampleOptions | undefined> {
  const d = job.inputData;
  const uris = await vscode.window.showOpenDialog({
    title: `Files of ${d.inputName} to run`,
    defaultUri: d.path ? vscode.Uri.file(d.path) : undefined,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: true,
    openLabel: 'Run these files',
  });
  return uris && uris.length > 0 ? { files: uris.map((u) => u.fsPath) } : undefined;
}
