/**
 * The Local Runs view: every run folder with a summary.json under the runs folder of the workspace's
 * specs, newest first, plus the runs in progress in this window. It reads the disk only when shown.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readLocalRun, SUMMARY_FILE } from '../../core/workspace/local-runs';
import { config } from '../config';
import type { Ctx } from '../ctx';
import {
  childrenOf,
  groupRuns,
  nodeFromLive,
  nodeFromPipeline,
  nodeFromSummary,
  treeItemFor,
  type RunNode,
  type TreeNode,
} from './run-node';

export const VIEW_ID = 'parallelRun.localRuns';

export class LocalRunsView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private nodes: RunNode[] = [];
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      ctx.runs.onDidChange(() => this.refreshSoon(250)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('parallelRun.runsFolder')) {
          this.watch();
          this.refresh();
        }
      }),
    );
    this.watch();
  }

  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.changed.fire(undefined);
  }

  /** Coalesces bursts (progress events, a run writing its files) into one refresh. */
  private refreshSoon(ms: number): void {
    this.refreshTimer ??= setTimeout(() => this.refresh(), ms);
  }

  /** The runs as last listed (for commands that need "the latest run"). */
  get runs(): readonly RunNode[] {
    return this.nodes;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItemFor(node);
  }

  /** Specs (newest run first), their nodes when they have several, their runs, a failed run's mini-batches. */
  async getChildren(parent?: TreeNode): Promise<TreeNode[]> {
    if (parent) return childrenOf(parent);
    const finished = await this.findFinishedRuns();
    // Local runs only: a cloud job in progress shows in the Azure ML view's Jobs.
    const live = this.ctx.runs.all().filter((r) => r.kind === 'local' && !finished.some((f) => samePath(f.runDir, r.runDir)));
    this.nodes = [...live.map(nodeFromLive), ...finished].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    void vscode.commands.executeCommand('setContext', 'parallelRun.hasRuns', this.nodes.length > 0);
    return groupRuns(this.nodes);
  }

  private async findFinishedRuns(): Promise<RunNode[]> {
    const runDirs = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const runsFolder = config.runsFolder(folder.uri);
      // The runs folder is hidden from the Explorer and search (files.exclude), which findFiles honours:
      // walk the folders instead, to a small depth, past the usual heavy ones.
      const roots = path.isAbsolute(runsFolder) ? [runsFolder] : await runsFoldersUnder(folder.uri.fsPath, runsFolder);
      for (const root of roots) for (const dir of await subfolders(root)) runDirs.add(dir);
    }
    // A pipeline run is one item that expands to its steps; a single node's run, one item as before.
    const runs = await Promise.all([...runDirs].map((dir) => readLocalRun(dir)));
    return runs
      .filter((r) => r !== undefined)
      .map((r) => (r.kind === 'pipeline' ? nodeFromPipeline(r.summary, r.steps) : nodeFromSummary(r.summary)));
  }

  /** summary.json appears when a run ends (here, from the CLI, or from a test): refresh then. */
  private watcher?: vscode.FileSystemWatcher;
  private watch(): void {
    this.watcher?.dispose();
    const runsFolder = config.runsFolder();
    const glob = path.isAbsolute(runsFolder)
      ? new vscode.RelativePattern(vscode.Uri.file(runsFolder), `*/${SUMMARY_FILE}`)
      : `**/${trimSlashes(runsFolder)}/*/${SUMMARY_FILE}`;
    this.watcher = vscode.workspace.createFileSystemWatcher(glob);
    const soon = () => this.refreshSoon(300);
    this.watcher.onDidCreate(soon);
    this.watcher.onDidDelete(soon);
    this.watcher.onDidChange(soon);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const SKIPPED = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.vscode-test', '.parallel-run', 'site-packages']);
const MAX_DEPTH = 6;
const MAX_FOLDERS = 5000;

/** `<dir>/<runsFolder>` for every folder `dir` under `root` (breadth first, bounded) that has one. */
export async function runsFoldersUnder(root: string, runsFolder: string): Promise<string[]> {
  const found: string[] = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && visited < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_FOLDERS) break;
      const candidate = path.join(dir, runsFolder);
      if (await isDirectory(candidate)) found.push(candidate);
      let entries: import('node:fs').Dirent[] = [];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) if (e.isDirectory() && !SKIPPED.has(e.name)) next.push(path.join(dir, e.name));
    }
    level = next;
  }
  return found;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

function trimSlashes(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/^\/+|\/+$/g, '');
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}
