/**
 * "New entry script…" as small prompt steps and one execute step (the vscode-azurefunctions shape):
 * each step asks one thing through a ScaffoldUi, so the flow is testable without an editor. Plain code.
 */
import * as fs from 'fs';
import { writeAmlignore } from '../../core/scaffold/amlignore';
import * as path from 'path';
import {
  DEFAULT_MINI_BATCH_SIZE,
  entryScriptNameProblem,
  miniBatchSizeProblem,
  nodeNameFor,
  renderEntryScript,
  renderSpec,
  type InputKind,
} from '../../core/scaffold/templates';

/** The user closed a prompt: the flow ends without writing anything (the command path ends it silently). */
import { Cancelled } from '../commands/cancelled';
export { Cancelled };

/** The user pressed Back: the flow asks the previous step again. */
export class GoBack extends Error {
  constructor() {
    super('Back');
  }
}

export interface StepInfo {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** What the steps need from an editor. pick and input reject with Cancelled or GoBack. */
export interface ScaffoldUi {
  pick<T>(options: StepInfo & { placeholder: string; items: PickItem<T>[] }): Promise<T>;
  input(options: StepInfo & { prompt: string; value: string; validate(value: string): string | undefined }): Promise<string>;
  /** An open dialog; undefined when dismissed. */
  browse(options: { title: string; defaultPath: string; folders: boolean; files: boolean }): Promise<string | undefined>;
  warn(message: string): void;
  /** Asked before replacing files that exist; false keeps them. */
  confirmOverwrite(files: string[]): Promise<boolean>;
}

export interface ScaffoldAnswers {
  kind?: InputKind;
  name?: string;
  /** Absolute folder the script and spec go to. */
  folder?: string;
  /** The folder offered first: the active editor's, or the workspace's. */
  suggestedFolder?: string;
  /** As written in the spec: relative to `folder` (`./data`) or absolute. */
  inputPath?: string;
  inputIsFile?: boolean;
  /** null: no model argument. */
  modelPath?: string | null;
  modelIsFile?: boolean;
  miniBatchSize?: string;
  processes?: number;
}

export interface ScaffoldStep {
  prompt(answers: ScaffoldAnswers, ui: ScaffoldUi, info: StepInfo): Promise<void>;
}

export const TITLE = 'New Parallel Entry Script';

const kindStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    answers.kind = await ui.pick({
      ...info,
      placeholder: 'What does the job split into mini-batches?',
      items: [
        {
          label: 'Files',
          description: 'uri_folder',
          detail: 'A folder of files (images, documents…): run() gets a list of file paths.',
          value: 'files' as const,
        },
        {
          label: 'Tabular',
          description: 'mltable',
          detail: 'Rows of CSV or JSON-lines files: run() gets a pandas DataFrame.',
          value: 'tabular' as const,
        },
      ],
    });
  },
};

const nameStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    answers.name = (
      await ui.input({
        ...info,
        prompt: 'Name of the entry script (a Python module name; the files are <name>.py and <name>.yml)',
        value: answers.name ?? 'batch_score',
        validate: (value) => entryScriptNameProblem(value.trim()),
      })
    ).trim();
  },
};

const folderStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    const suggested = answers.suggestedFolder;
    for (;;) {
      const choice = suggested
        ? await ui.pick({
            ...info,
            placeholder: 'Where should the script and its spec go?',
            items: [
              { label: suggested, description: 'the current folder', value: 'suggested' as const },
              { label: 'Choose a folder…', value: 'browse' as const },
            ],
          })
        : 'browse';
      if (choice === 'suggested') {
        answers.folder = suggested;
        return;
      }
      const folder = await ui.browse({
        title: 'Folder for the entry script and its spec',
        defaultPath: suggested ?? process.cwd(),
        folders: true,
        files: false,
      });
      if (folder) {
        answers.folder = folder;
        return;
      }
      if (!suggested) throw new Cancelled();
    }
  },
};

const inputStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    const folder = answers.folder!;
    const files = answers.kind === 'files';
    for (;;) {
      const how = await ui.pick({
        ...info,
        placeholder: files
          ? 'The folder of files to split into mini-batches'
          : 'The table to split: an MLTable folder, a folder of CSV files or one CSV file',
        items: [
          { label: 'Choose a folder…', value: 'folder' as const },
          ...(files ? [] : [{ label: 'Choose a file…', description: 'one .csv, .tsv or .jsonl file', value: 'file' as const }]),
          { label: 'Type a path…', description: 'it may not exist yet', value: 'type' as const },
        ],
      });
      let written: string | undefined;
      if (how === 'type') {
        written = await typedPath(answers, ui, info);
      } else {
        // Separate folder and file dialogs: on Windows and Linux one dialog cannot select both.
        const chosen = await ui.browse({
          title: files ? 'Input folder' : 'Input table',
          defaultPath: folder,
          folders: how === 'folder',
          files: how === 'file',
        });
        if (chosen) written = specPath(folder, chosen);
      }
      if (written === undefined) continue;
      answers.inputPath = written;
      const absolute = path.resolve(folder, written);
      const stat = fs.statSync(absolute, { throwIfNoEntry: false });
      answers.inputIsFile = files && stat?.isFile() === true;
      if (!stat)
        ui.warn(
          `${absolute} does not exist yet: create it and put ${files ? 'a few files' : 'a CSV file'} in it before you run the job locally.`,
        );
      return;
    }
  },
};

async function typedPath(answers: ScaffoldAnswers, ui: ScaffoldUi, info: StepInfo): Promise<string | undefined> {
  try {
    const typed = await ui.input({
      ...info,
      prompt: `Path of the input, relative to ${answers.folder} or absolute`,
      value: answers.inputPath ?? (answers.kind === 'files' ? './data' : './table'),
      validate: (value) => (value.trim() === '' ? 'Type a path, e.g. ./data' : undefined),
    });
    const trimmed = typed.trim();
    return path.isAbsolute(trimmed) ? specPath(answers.folder!, trimmed) : relativeForm(trimmed);
  } catch (e) {
    if (e instanceof GoBack) return undefined; // back to "choose or type"
    throw e;
  }
}

const modelStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    for (;;) {
      const choice = await ui.pick({
        ...info,
        placeholder: 'Does init() load a model?',
        items: [
          { label: 'No model', detail: "init() parses the script's arguments; load what you need there yourself.", value: 'none' as const },
          { label: 'A model folder…', detail: 'Passed as --model; init() loads it once per worker.', value: 'folder' as const },
          { label: 'A model file…', detail: 'Passed as --model; init() loads it once per worker.', value: 'file' as const },
        ],
      });
      if (choice === 'none') {
        answers.modelPath = null;
        return;
      }
      const isFile = choice === 'file';
      const chosen = await ui.browse({
        title: isFile ? 'Model file' : 'Model folder',
        defaultPath: answers.folder!,
        folders: !isFile,
        files: isFile,
      });
      if (chosen) {
        answers.modelPath = specPath(answers.folder!, chosen);
        answers.modelIsFile = isFile;
        return;
      }
    }
  },
};

const miniBatchStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    const kind = answers.kind!;
    answers.miniBatchSize = (
      await ui.input({
        ...info,
        prompt:
          kind === 'files'
            ? 'mini_batch_size: files per mini-batch'
            : 'mini_batch_size: approximate bytes of rows per mini-batch (100kb, 1mb, 1gb)',
        value: answers.miniBatchSize ?? DEFAULT_MINI_BATCH_SIZE[kind],
        validate: (value) => miniBatchSizeProblem(kind, value),
      })
    ).trim();
  },
};

const processesStep: ScaffoldStep = {
  async prompt(answers, ui, info) {
    const text = await ui.input({
      ...info,
      prompt: 'max_concurrency_per_instance: worker processes per node (each calls init() once)',
      value: String(answers.processes ?? 2),
      validate: (value) =>
        /^\s*[1-9]\d{0,3}\s*$/.test(value) ? undefined : 'A whole number from 1, e.g. the number of CPU cores or GPUs.',
    });
    answers.processes = Number(text.trim());
  },
};

export const SCAFFOLD_STEPS: readonly ScaffoldStep[] = [kindStep, nameStep, folderStep, inputStep, modelStep, miniBatchStep, processesStep];

/** Asks every step in turn; Back returns to the previous one, Cancelled ends the flow. */
export async function promptAll(steps: readonly ScaffoldStep[], answers: ScaffoldAnswers, ui: ScaffoldUi): Promise<void> {
  let i = 0;
  while (i < steps.length) {
    try {
      await steps[i].prompt(answers, ui, { title: TITLE, step: i + 1, totalSteps: steps.length });
      i++;
    } catch (e) {
      if (!(e instanceof GoBack)) throw e;
      i = Math.max(0, i - 1);
    }
  }
}

export interface ScaffoldPlan {
  scriptFile: string;
  specFile: string;
  script: string;
  spec: string;
  /** Data and model paths (relative to the spec, or absolute) that `.amlignore` leaves out of the snapshot. */
  snapshotExcludes?: string[];
}

/** The two files the answers make. */
export function planScaffold(answers: ScaffoldAnswers): ScaffoldPlan {
  const { kind, name, folder, inputPath, miniBatchSize, processes } = answers;
  if (!kind || !name || !folder || inputPath === undefined || !miniBatchSize || !processes)
    throw new Error('The flow ended before every question was answered.');
  const model = answers.modelPath ?? undefined;
  return {
    scriptFile: path.join(folder, `${name}.py`),
    specFile: path.join(folder, `${name}.yml`),
    script: renderEntryScript({ kind, name, modelArg: model !== undefined }),
    spec: renderSpec({
      nodeName: nodeNameFor(name),
      entryScript: `${name}.py`,
      inputKind: kind,
      inputPath,
      inputIsFile: answers.inputIsFile,
      modelPath: model,
      modelIsFile: answers.modelIsFile,
      miniBatchSize,
      processes,
      nodes: 1,
      appendRowFileName: `${name.toLowerCase()}_results.txt`,
    }),
    snapshotExcludes: [inputPath, ...(model !== undefined ? [model] : [])].filter((p) => p !== ''),
  };
}

/** Writes the plan's files; asks before replacing existing ones (Cancelled when the user says no). */
export async function writeScaffold(plan: ScaffoldPlan, ui: ScaffoldUi): Promise<void> {
  const existing = [plan.scriptFile, plan.specFile].filter((f) => fs.existsSync(f));
  if (existing.length > 0 && !(await ui.confirmOverwrite(existing))) throw new Cancelled();
  await fs.promises.mkdir(path.dirname(plan.scriptFile), { recursive: true });
  await fs.promises.writeFile(plan.scriptFile, plan.script);
  await fs.promises.writeFile(plan.specFile, plan.spec);
  // The script sits beside the spec (`code: .`): keep local runs and data out of the code snapshot.
  await writeAmlignore(path.dirname(plan.specFile), plan.snapshotExcludes ?? []);
}

/** Runs the whole flow: every prompt, then the files. Resolves with the plan it wrote. */
export async function scaffold(
  ui: ScaffoldUi,
  suggestedFolder?: string,
  steps: readonly ScaffoldStep[] = SCAFFOLD_STEPS,
): Promise<ScaffoldPlan> {
  const answers: ScaffoldAnswers = { suggestedFolder };
  await promptAll(steps, answers, ui);
  const plan = planScaffold(answers);
  await writeScaffold(plan, ui);
  return plan;
}

/** How the spec names `target`: relative to the YAML's folder with `/` (`./data`), or absolute elsewhere. */
export function specPath(folder: string, target: string): string {
  const relative = path.relative(folder, target);
  if (relative === '') return '.';
  if (path.isAbsolute(relative)) return target; // another drive on Windows
  return relativeForm(relative.split(path.sep).join('/'));
}

function relativeForm(written: string): string {
  const slashed = written.replace(/\\/g, '/');
  return slashed.startsWith('.') || slashed.startsWith('/') || slashed.startsWith('~') || /^[A-Za-z]:/.test(slashed)
    ? slashed
    : `./${slashed}`;
}
