/**
 * The spec YAML that runs an entry script: the one beside or above it that names it, else one written
 * next to it after three short questions (input, mini-batch size, processes).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lazy } from '../load';

export interface SpecChoice {
  specFile: string;
  nodeName?: string;
}

/** Finds (or, asking the user, writes) the spec for `script`; undefined when the user gave up. */
export async function specForEntryScript(script: vscode.Uri, log: vscode.LogOutputChannel): Promise<SpecChoice | undefined> {
  const { findSpecsForEntryScript } = await lazy();
  const folder = vscode.workspace.getWorkspaceFolder(script);
  const matches = await findSpecsForEntryScript(script.fsPath, folder?.uri.fsPath);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    const picked = await vscode.window.showQuickPick(
      matches.map((m) => ({ label: m.nodeName, description: vscode.workspace.asRelativePath(m.specFile), match: m })),
      { title: `${path.basename(script.fsPath)} is the entry script of several parallel nodes: which one?`, ignoreFocusOut: true },
    );
    return picked?.match;
  }
  return writeSpecFor(script, log);
}

async function writeSpecFor(script: vscode.Uri, log: vscode.LogOutputChannel): Promise<SpecChoice | undefined> {
  const name = path.basename(script.fsPath);
  const title = (step: number) => `No spec names ${name}: write one (${step}/3)`;
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(folder) A folder of files', description: 'uri_folder: run() gets a list of file paths', type: 'uri_folder' as const },
      {
        label: '$(table) A table',
        description: 'mltable: an MLTable folder or a CSV/TSV/JSON-lines file; run() gets a DataFrame',
        type: 'mltable' as const,
      },
    ],
    { title: title(1), placeHolder: 'What does the entry script read?', ignoreFocusOut: true },
  );
  if (!kind) return undefined;
  const table = kind.type === 'mltable';
  const input = await vscode.window.showOpenDialog({
    title: table ? 'The table: an MLTable folder, or a CSV, TSV or JSON-lines file' : 'The folder of input files',
    defaultUri: vscode.Uri.file(path.dirname(script.fsPath)),
    canSelectFiles: table,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Use as input',
  });
  if (!input?.[0]) return undefined;

  const { parseSizeString } = (await lazy()).spec;
  const size = await vscode.window.showInputBox({
    title: title(2),
    prompt: table
      ? 'Mini-batch size: about how many bytes of rows per mini-batch (e.g. 1mb, 256kb)'
      : 'Mini-batch size: how many files per mini-batch',
    value: table ? '1mb' : '10',
    ignoreFocusOut: true,
    validateInput: (v) => {
      if (!table) return /^\s*[1-9][0-9]*\s*$/.test(v) ? undefined : 'A whole number of files, 1 or more';
      return (parseSizeString(v.trim()) ?? 0) > 0 ? undefined : 'A size such as 1mb, 256kb or a number of bytes';
    },
  });
  if (size === undefined) return undefined;

  const cpus = Math.max(1, os.cpus().length);
  const processes = await vscode.window.showQuickPick(
    [...new Set([1, 2, 4, cpus])]
      .sort((a, b) => a - b)
      .map((n) => ({
        label: String(n),
        description:
          n === 2
            ? 'a good start: shows concurrency without using the whole machine'
            : n === cpus
              ? 'one per CPU, like the cloud default'
              : '',
        n,
      })),
    { title: title(3), placeHolder: 'Processes per node (max_concurrency_per_instance)', ignoreFocusOut: true },
  );
  if (!processes) return undefined;

  const { specFileFor, writeSpec } = await lazy();
  const specFile = await writeSpec({
    entryScript: script.fsPath,
    specFile: specFileFor(script.fsPath),
    input: { type: table ? 'mltable' : 'uri_folder', path: input[0].fsPath },
    miniBatchSize: size.trim(),
    processes: processes.n,
  });
  log.info(`Wrote ${specFile} for ${script.fsPath}`);
  void vscode.window
    .showInformationMessage(
      `Wrote ${vscode.workspace.asRelativePath(specFile)} for ${name}: edit it to change the input, sizes or thresholds.`,
      'Open',
    )
    .then((c) => {
      if (c) void vscode.window.showTextDocument(vscode.Uri.file(specFile), { preview: false, viewColumn: vscode.ViewColumn.Beside });
    });
  return { specFile };
}
