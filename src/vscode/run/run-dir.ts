/** Where a new run from the editor goes: the core's naming, in the runs folder the user set (parallelRun.runsFolder). */
import * as vscode from 'vscode';
import { newRunDir as coreNewRunDir, runsFolderFor as coreRunsFolderFor } from '../../core/runs/run-dir';
import { config } from '../config';

export function runsFolderFor(specFile: string): string {
  return coreRunsFolderFor(specFile, config.runsFolder(vscode.Uri.file(specFile)));
}

export function newRunDir(specFile: string, nodeName: string, now = new Date()): string {
  return coreNewRunDir(specFile, nodeName, { runsFolder: config.runsFolder(vscode.Uri.file(specFile)), now });
}
