// What a workspace is known to hold from earlier submissions (validated computes and assets, the datastore,
// complete uploads by content hash, code and environment versions), so resubmitting an unchanged spec sends
// nothing but the job PUT. Trusted as written: a job PUT that fails for a missing asset clears what it used.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkspaceRef } from '../resources/types';

/** What an entry records. Values hold names, ids and URLs without credentials: never a key or SAS token. */
export type CacheKind = 'compute' | 'asset' | 'datastore' | 'upload' | 'code' | 'environment';

interface CacheFile {
  version: 1;
  /** `<kind>|<workspace key>|<content key>` → value. */
  entries: Record<string, string>;
}

/** Entries kept at most; the oldest written go first (a JSON object keeps insertion order). */
const MAX_ENTRIES = 2000;

/** The workspace part of a key: the ARM host too, so a sovereign cloud or a local fake never shares entries. */
export function workspaceKey(host: string, ws: WorkspaceRef): string {
  return `${host.replace(/\/+$/, '').toLowerCase()}/subscriptions/${ws.subscriptionId.toLowerCase()}/resourceGroups/${ws.resourceGroup.toLowerCase()}/workspaces/${ws.workspace.toLowerCase()}`;
}

export class SubmitCache {
  private data: CacheFile | undefined;
  private dirty = false;
  /** Keys read from the cache (not checked with the service) since the last `startAttempt`. */
  private trusted = new Set<string>();

  /** `file`: a JSON file (created on first save), e.g. `<global storage>/submit-cache.json`. */
  constructor(readonly file: string) {}

  /** The default file of the CLI: the user's cache folder (XDG), shared by every project on this machine. */
  static defaultFile(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
    const base =
      env.XDG_CACHE_HOME ||
      (process.platform === 'win32' ? env.LOCALAPPDATA || path.join(home, 'AppData', 'Local') : path.join(home, '.cache'));
    return path.join(base, 'parallel-run', 'submit-cache.json');
  }

  private async load(): Promise<CacheFile> {
    if (this.data) return this.data;
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<CacheFile>;
      const entries = parsed?.version === 1 && parsed.entries && typeof parsed.entries === 'object' ? parsed.entries : {};
      this.data = { version: 1, entries: Object.fromEntries(Object.entries(entries).filter(([, v]) => typeof v === 'string')) };
    } catch {
      // Missing or unreadable: an empty cache (the submission checks everything with the service).
      this.data = { version: 1, entries: {} };
    }
    return this.data;
  }

  /** The value known for `key`, remembered as trusted (see `forgetTrusted`). */
  async get(kind: CacheKind, ws: string, key: string): Promise<string | undefined> {
    const k = `${kind}|${ws}|${key}`;
    const v = (await this.load()).entries[k];
    if (v !== undefined) this.trusted.add(k);
    return v;
  }

  async set(kind: CacheKind, ws: string, key: string, value: string): Promise<void> {
    const d = await this.load();
    const k = `${kind}|${ws}|${key}`;
    if (d.entries[k] === value) return;
    delete d.entries[k];
    d.entries[k] = value;
    this.dirty = true;
  }

  /** True when this attempt used an entry without asking the service. */
  get usedTrusted(): boolean {
    return this.trusted.size > 0;
  }

  /** A new attempt: forget which entries the previous one trusted. */
  startAttempt(): void {
    this.trusted.clear();
  }

  /** Drops every entry the current attempt trusted (the service said one of them no longer holds). */
  async forgetTrusted(): Promise<number> {
    const d = await this.load();
    let n = 0;
    for (const k of this.trusted) {
      if (k in d.entries) {
        delete d.entries[k];
        n++;
      }
    }
    this.trusted.clear();
    if (n) this.dirty = true;
    return n;
  }

  /** Writes the file if anything changed (atomically: a second window reading it never sees half a file). */
  async save(): Promise<void> {
    if (!this.dirty || !this.data) return;
    const keys = Object.keys(this.data.entries);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete this.data.entries[k];
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(this.data, null, 1));
    await fs.rename(tmp, this.file);
    this.dirty = false;
  }
}
