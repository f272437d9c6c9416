/** Where a new run goes: `<runs folder>/<node>-<time>`, the runs folder relative to the spec (as the CLI does). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config } from '../config';

export function runsFolderFor(specFile: string): string {
  return path.resolve(path.dirname(specFile), config.runsFolder(vscode.Uri.file(specFile)));
}

export function newRunDir(specFile: string, nodeName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = path.join(runsFolderFor(specFile), `${nodeName}-${stamp}`);
  let dir = base;
  for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}
