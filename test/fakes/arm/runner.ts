// The fake's job runner: a submitted PipelineJob body is turned back into a spec, its code and data are fetched
// from Azurite (the blobs the submission uploaded), and the local engine (runPipeline) runs it. The job's status,
// its steps' child runs, their logs (as artifact blobs, with SAS URLs in run history) and outputs (under the
// output's datastore path) advance as the engine reports, never by the clock. A test bed, not Azure.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobSASPermissions, ContainerClient, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';
import { stringify } from 'yaml';
import { loadSpec } from '../../../src/core/spec/load';
import { runPipeline } from '../../../src/core/pipeline';
import type { PipelineEvent, PipelineRunSummary } from '../../../src/core/pipeline/types';
import { runBody, type Json } from './world';

/** Where the fake's storage account lives (Azurite started with the fake datastores' account and key). */
export interface RunnerStorage {
  /** Path-style base URL of the blob service, e.g. `http://127.0.0.1:P/localtestsa`. */
  blobEndpoint: string;
  account: { name: string; key: string };
}

/** What the runner needs from the fake ARM: its stored resources and run history. */
export interface RunnerHost {
  get(id: string): Json | undefined;
  readonly testWorkspaceId: string;
  setRun(runId: string, run: Json): void;
  patchRun(runId: string, patch: Json): void;
  setJobStatus(name: string, status: string): void;
}

/** The engine's last words, as the cloud's marker that az ml job stream waits for. */
export const FINALIZING_LINE = 'The activity completed successfully. Finalizing run...';

const yamlModes: Record<string, string> = {
  ReadOnlyMount: 'ro_mount',
  ReadWriteMount: 'rw_mount',
  Download: 'download',
  Direct: 'direct',
  EvalMount: 'eval_mount',
  EvalDownload: 'eval_download',
  Upload: 'upload',
};
const dataTypes = new Set(['uri_folder', 'uri_file', 'mltable', 'custom_model', 'mlflow_model', 'triton_model']);
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface StepState {
  runId: string;
  node: string;
  type: 'parallel' | 'command';
  dir?: string;
  /** Its end was reported (status set once its logs were uploaded). */
  ended?: boolean;
}

interface JobState {
  name: string;
  abort: AbortController;
  /** Status changes in order (the job's own), for tests. */
  statuses: string[];
  done: Promise<string>;
  started: Promise<void>;
  markStarted: () => void;
  steps: Map<string, StepState>;
  /** Artifact path (`ExperimentRun/dcid.<run>/…`) → size uploaded, per run id. */
  files: Map<string, Map<string, number>>;
  syncing?: Promise<void>;
  dirty: boolean;
  workDir: string;
  executionLog: string[];
  summary?: PipelineRunSummary;
  /** The node each pipeline output comes from (`${{parent.outputs.x}}` in a node's outputs). */
  pipelineOutputs: Map<string, { node: string; output: string }>;
  /** Pipeline output → the datastore path the job gave it (`azureml://datastores/<ds>/paths/<p>`). */
  outputUris: Map<string, string>;
  /** Step ends in order: each sets the step's status after its last logs are uploaded. */
  stepEnds: Promise<void>;
}

export class JobRunner {
  private readonly jobs = new Map<string, JobState>();
  private readonly sharedKey: StorageSharedKeyCredential;
  /** The Python the entry scripts run under: the system's (numpy, pandas, PIL…). */
  python = 'python3';
  /** Hold a job at Queued until `release(name)` (a test that wants to watch it start). */
  holdQueued = false;
  private readonly held = new Map<string, () => void>();
  private readonly arrivals = new Map<string, ((s: JobState) => void)[]>();
  /** Grows on every status change and every log upload: what a follower's test waiter waits on. */
  version = 0;
  private readonly changeWaiters: (() => void)[] = [];

  constructor(
    private readonly host: RunnerHost,
    readonly storage: RunnerStorage,
  ) {
    this.sharedKey = new StorageSharedKeyCredential(storage.account.name, storage.account.key);
  }

  /** Starts the job in the background; its status goes NotStarted → Queued → Preparing → Running → …. */
  start(name: string, props: Json): void {
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const state: JobState = {
      name,
      abort: new AbortController(),
      statuses: ['NotStarted'],
      started,
      markStarted,
      done: Promise.resolve(''),
      steps: new Map(),
      files: new Map(),
      dirty: false,
      workDir: mkdtempSync(path.join(os.tmpdir(), `fake-job-${name}-`)),
      executionLog: [],
      pipelineOutputs: new Map(),
      outputUris: new Map(),
      stepEnds: Promise.resolve(),
    };
    this.jobs.set(name, state);
    for (const w of this.arrivals.get(name) ?? []) w(state);
    this.arrivals.delete(name);
    state.done = new Promise<string>((resolve) => setImmediate(() => void this.run(state, props).then(resolve)));
  }

  /** Resolves with the job's final status once its logs and outputs are in storage. */
  async jobDone(name: string): Promise<string> {
    return (await this.job(name)).done;
  }

  /** The job once it was PUT (a test may ask before a CLI it started has submitted it). */
  private job(name: string): Promise<JobState> {
    const s = this.jobs.get(name);
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => {
      const list = this.arrivals.get(name) ?? [];
      list.push(resolve);
      this.arrivals.set(name, list);
    });
  }

  /** Resolves once the engine began a mini-batch (or a command step) of the job. */
  async jobStarted(name: string): Promise<void> {
    return (await this.job(name)).started;
  }

  /** The job's status changes so far. */
  statusesOf(name: string): string[] {
    return [...(this.jobs.get(name)?.statuses ?? [])];
  }

  /** The child run id of a node of the job (the parallel step's run). */
  stepRunId(name: string, node: string): string | undefined {
    return this.jobs.get(name)?.steps.get(node)?.runId;
  }

  /** Resolves once `version` is past `since` (at once when it already is): waiting without a clock. */
  changedSince(since: number): Promise<void> {
    if (this.version > since) return Promise.resolve();
    return new Promise((r) => this.changeWaiters.push(r));
  }

  private changed(): void {
    this.version++;
    for (const w of this.changeWaiters.splice(0)) w();
  }

  release(name: string): void {
    this.held.get(name)?.();
    this.held.delete(name);
  }

  /** The REST cancel: the engine stops (abort signal), the job ends Canceled. False when it is not running. */
  cancel(name: string): boolean {
    const s = this.jobs.get(name);
    if (!s || s.abort.signal.aborted) return false;
    this.status(s, 'CancelRequested');
    s.abort.abort();
    this.release(name);
    return true;
  }

  isActive(name: string): boolean {
    const s = this.jobs.get(name);
    return !!s && !s.statuses.some((x) => ['Completed', 'Failed', 'Canceled'].includes(x));
  }

  /** Run details' `logFiles` of a run: artifact path relative to the run → SAS URL (user_logs/ and logs/azureml/). */
  logFiles(runId: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [rel] of this.filesOf(runId))
      if (/^(user_logs\/|logs\/azureml\/)/.test(rel)) out[rel] = this.sasUrl('azureml', `ExperimentRun/dcid.${runId}/${rel}`);
    return out;
  }

  /** The artifact API's `prefix/contentinfo`: every artifact of the run under `prefix`, with a SAS URL. */
  contentInfo(runId: string, prefix: string): { path: string; contentUri: string; origin: string; container: string }[] {
    return [...this.filesOf(runId).keys()]
      .filter((p) => p.startsWith(prefix))
      .sort()
      .map((p) => ({
        path: p,
        contentUri: this.sasUrl('azureml', `ExperimentRun/dcid.${runId}/${p}`),
        origin: 'ExperimentRun',
        container: `dcid.${runId}`,
      }));
  }

  /** Appends a line to a log artifact of a run now (the bench's "a line written to the job's log"). */
  async appendLog(runId: string, rel: string, text: string): Promise<void> {
    const blobName = `ExperimentRun/dcid.${runId}/${rel}`;
    const c = this.container('azureml');
    await c.createIfNotExists();
    const blob = c.getAppendBlobClient(blobName);
    await blob.createIfNotExists();
    await blob.appendBlock(text, Buffer.byteLength(text));
    const job = [...this.jobs.values()].find((j) => j.name === runId || [...j.steps.values()].some((x) => x.runId === runId));
    if (!job) throw new Error(`The fake runner has no run ${runId}.`);
    const files = job.files.get(runId) ?? new Map<string, number>();
    job.files.set(runId, files);
    files.set(rel, (files.get(rel) ?? 0) + Buffer.byteLength(text));
    this.changed();
  }

  private filesOf(runId: string): Map<string, number> {
    for (const j of this.jobs.values()) {
      const f = j.files.get(runId);
      if (f) return f;
    }
    return new Map();
  }

  private sasUrl(container: string, blobName: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: container,
        blobName,
        permissions: BlobSASPermissions.parse('r'),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      this.sharedKey,
    ).toString();
    return `${this.storage.blobEndpoint}/${container}/${blobName.split('/').map(encodeURIComponent).join('/')}?${sas}`;
  }

  private container(name: string): ContainerClient {
    return new ContainerClient(`${this.storage.blobEndpoint}/${name}`, this.sharedKey, {
      retryOptions: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
  }

  private status(s: JobState, status: string): void {
    s.statuses.push(status);
    this.host.setJobStatus(s.name, status);
    this.host.patchRun(s.name, { status, ...(status === 'Running' ? { startTimeUtc: new Date().toISOString() } : {}) });
    this.changed();
  }

  private log(s: JobState, line: string): void {
    s.executionLog.push(`[${new Date().toISOString()}] ${line}`);
  }

  private async run(s: JobState, props: Json): Promise<string> {
    let final = 'Failed';
    let error: string | undefined;
    try {
      await this.container('azureml').createIfNotExists();
      this.status(s, 'Queued');
      if (this.holdQueued) await new Promise<void>((r) => this.held.set(s.name, r));
      if (s.abort.signal.aborted) throw new CanceledError();
      this.status(s, 'Preparing');
      const specFile = await this.materialise(s, props);
      if (s.abort.signal.aborted) throw new CanceledError();
      this.status(s, 'Running');
      const spec = await loadSpec(specFile, { local: true });
      const summary = await runPipeline(spec, {
        runDir: path.join(s.workDir, 'run'),
        python: this.python,
        signal: s.abort.signal,
        env: { ...process.env, PYENV_VERSION: 'system' },
        onEvent: (e) => this.onEvent(s, e),
      });
      s.summary = summary;
      final = summary.status;
      error = summary.reason;
      if (s.abort.signal.aborted) throw new CanceledError();
      this.status(s, 'Finalizing');
      await this.uploadOutputs(s, summary);
    } catch (e) {
      if (e instanceof CanceledError || s.abort.signal.aborted) final = 'Canceled';
      else {
        final = 'Failed';
        error = (e as Error).message;
      }
    }
    await s.stepEnds;
    for (const step of s.steps.values()) {
      if (step.ended) continue;
      const node = s.summary?.nodes.find((n) => n.name === step.node);
      const status = node
        ? node.status === 'Reused'
          ? 'Completed'
          : node.status === 'Skipped'
            ? 'NotStarted'
            : node.status
        : final === 'Canceled'
          ? 'Canceled'
          : 'NotStarted';
      this.host.patchRun(step.runId, {
        status,
        endTimeUtc: new Date().toISOString(),
        ...(node?.reason && status === 'Failed' ? { error: { error: { code: 'UserError', message: node.reason } } } : {}),
      });
    }
    this.log(s, error ? `Pipeline ended ${final}: ${error}` : `Pipeline ended ${final}.`);
    await this.sync(s);
    this.host.patchRun(s.name, {
      endTimeUtc: new Date().toISOString(),
      ...(error && final === 'Failed' ? { error: { error: { code: 'UserError', message: error } } } : {}),
    });
    this.status(s, final);
    s.markStarted();
    // Everything the job left is in storage now; its work folder (code, data, run folder) goes.
    rmSync(s.workDir, { recursive: true, force: true });
    return final;
  }

  private onEvent(s: JobState, e: PipelineEvent): void {
    if (e.type === 'nodeStart') {
      const step = s.steps.get(e.node);
      if (step) {
        step.dir = e.runDir;
        this.host.patchRun(step.runId, { status: 'Running', startTimeUtc: new Date().toISOString() });
        this.log(s, `Step ${e.node} (run ${step.runId}) is running.`);
        if (step.type === 'command') s.markStarted();
      }
    } else if (e.type === 'nodeEvent' && e.event.type === 'miniBatchStarted') s.markStarted();
    else if (e.type === 'nodeEnd') {
      const step = s.steps.get(e.node.name);
      if (step && (e.node.status === 'Completed' || e.node.status === 'Failed' || e.node.status === 'Canceled')) {
        // As the service: the step's logs are final (its std_log ends with the finalizing line) before its status is.
        const { status, reason } = e.node;
        step.ended = true;
        this.log(s, `Step ${e.node.name} ended ${status}${reason ? `: ${reason}` : ''}.`);
        if (status === 'Completed') this.appendStdLog(step, FINALIZING_LINE);
        s.stepEnds = s.stepEnds.then(async () => {
          await this.sync(s);
          this.host.patchRun(step.runId, {
            status,
            endTimeUtc: new Date().toISOString(),
            ...(reason && status === 'Failed' ? { error: { error: { code: 'UserError', message: reason } } } : {}),
          });
          this.changed();
        });
      }
    }
    this.requestSync(s);
  }

  /** Uploads the logs that changed, one sync at a time; a request during a sync runs one more after it. */
  private requestSync(s: JobState): void {
    if (s.syncing) {
      s.dirty = true;
      return;
    }
    s.syncing = this.syncOnce(s).finally(() => {
      s.syncing = undefined;
      if (s.dirty) {
        s.dirty = false;
        this.requestSync(s);
      }
    });
  }

  /** Waits for syncs in flight, then uploads everything once more (the final state). */
  private async sync(s: JobState): Promise<void> {
    while (s.syncing) await s.syncing.catch(() => undefined);
    s.dirty = false;
    await this.syncOnce(s);
  }

  private async syncOnce(s: JobState): Promise<void> {
    const c = this.container('azureml');
    const uploads: Promise<unknown>[] = [];
    const put = (runId: string, rel: string, content: Buffer) => {
      const files = s.files.get(runId) ?? new Map<string, number>();
      s.files.set(runId, files);
      if (files.get(rel) === content.length && rel !== 'logs/azureml/executionlogs.txt') return;
      files.set(rel, content.length);
      uploads.push(
        c
          .getBlockBlobClient(`ExperimentRun/dcid.${runId}/${rel}`)
          .upload(content, content.length)
          .catch(() => files.delete(rel)),
      );
    };
    put(s.name, 'logs/azureml/executionlogs.txt', Buffer.from(s.executionLog.join('\n') + '\n'));
    for (const step of s.steps.values()) {
      if (!step.dir) continue;
      if (step.type === 'parallel') {
        // The step's std_log is its driver's log (the engine's master_role.txt) and the runner's own lines.
        const master = path.join(step.dir, 'logs', 'sys', 'master_role.txt');
        const extra = path.join(step.dir, '.fake-std-tail.txt');
        const text =
          (existsSync(master) ? readFileSync(master) : Buffer.alloc(0)).toString() + (existsSync(extra) ? readFileSync(extra, 'utf8') : '');
        if (text) put(step.runId, 'user_logs/std_log.txt', Buffer.from(text));
      }
      for (const sub of ['logs', 'user_logs']) {
        const root = path.join(step.dir, sub);
        for (const f of listFiles(root)) put(step.runId, `${sub}/${f}`, readFileSync(path.join(root, f)));
      }
    }
    await Promise.all(uploads);
    if (uploads.length) this.changed();
  }

  private appendStdLog(step: StepState, line: string): void {
    if (step.type !== 'parallel' || !step.dir) return;
    const f = path.join(step.dir, '.fake-std-tail.txt');
    writeFileSync(f, (existsSync(f) ? readFileSync(f, 'utf8') : '') + line + '\n');
  }

  // ---- body → spec --------------------------------------------------------------------------------------

  /** Writes `<work>/spec/pipeline.yml` from the REST body, with code and data fetched into `<work>/spec/`. */
  private async materialise(s: JobState, props: Json): Promise<string> {
    const dir = path.join(s.workDir, 'spec');
    mkdirSync(dir, { recursive: true });
    const doc: Json = { type: 'pipeline' };
    if (props.displayName) doc.display_name = props.displayName;
    if (props.experimentName) doc.experiment_name = props.experimentName;
    const settings = isMap(props.settings) ? props.settings : {};
    if (typeof settings.default_compute === 'string')
      doc.settings = { default_compute: `azureml:${settings.default_compute.split('/').pop()}` };
    const inputs: Json = {};
    for (const [k, v] of Object.entries(isMap(props.inputs) ? props.inputs : {})) {
      if (!isMap(v)) continue;
      if (v.jobInputType === 'literal') inputs[k] = literalValue(v.value);
      else if (dataTypes.has(String(v.jobInputType)))
        inputs[k] = await this.dataInput(String(v.jobInputType), String(v.uri ?? ''), v.mode, path.join(dir, 'inputs', k), `input ${k}`);
      else throw new Error(`Pipeline input ${k} has jobInputType ${String(v.jobInputType)}, which the fake does not run.`);
    }
    if (Object.keys(inputs).length) doc.inputs = inputs;
    const outputs: Json = {};
    for (const [k, v] of Object.entries(isMap(props.outputs) ? props.outputs : {})) {
      const o = isMap(v) ? v : {};
      if (typeof o.uri === 'string' && o.uri) s.outputUris.set(k, o.uri);
      outputs[k] = {
        type: String(o.jobOutputType ?? 'uri_folder'),
        ...(typeof o.mode === 'string' ? { mode: yamlModes[o.mode] ?? o.mode } : {}),
      };
    }
    if (Object.keys(outputs).length) doc.outputs = outputs;
    const jobs: Json = {};
    for (const [name, n] of Object.entries(isMap(props.jobs) ? props.jobs : {})) {
      if (!isMap(n)) continue;
      const runId = `${s.name}_${name}`;
      const type = n.type === 'command' ? 'command' : n.type === 'parallel' ? 'parallel' : undefined;
      if (!type) throw new Error(`Node ${name} has type ${String(n.type)}; the fake runs parallel and command nodes.`);
      s.steps.set(name, { runId, node: name, type });
      this.host.setRun(runId, {
        ...runBody(runId, { parentRunId: s.name, displayName: String(n.display_name ?? name), status: 'NotStarted' }),
        startTimeUtc: null,
        endTimeUtc: null,
      });
      jobs[name] = await this.node(name, n, dir, s);
    }
    doc.jobs = jobs;
    const file = path.join(dir, 'pipeline.yml');
    writeFileSync(file, stringify(doc));
    this.log(
      s,
      `Submitting ${s.steps.size} runs, first five are: ${[...s.steps.values()]
        .slice(0, 5)
        .map((x) => `${x.node}:${x.runId}`)
        .join(', ')}`,
    );
    this.requestSync(s);
    return file;
  }

  private async node(name: string, n: Json, dir: string, s: JobState): Promise<Json> {
    const out: Json = { type: n.type };
    const skip = new Set([
      'type',
      'name',
      '_source',
      'componentId',
      'inputs',
      'outputs',
      'task',
      'code',
      'partition_keys',
      'compute',
      'environment',
    ]);
    if (n.componentId && !n.task && !n.command)
      throw new Error(`Node ${name} names component ${String(n.componentId)} without its task; the fake runs inline nodes only.`);
    for (const [k, v] of Object.entries(n)) if (!skip.has(k) && v !== undefined && v !== null) out[k] = v;
    if (typeof n.partition_keys === 'string') out.partition_keys = JSON.parse(n.partition_keys);
    if (typeof n.compute === 'string') out.compute = `azureml:${n.compute.split('/').pop()}`;
    const inputs: Json = {};
    for (const [k, v] of Object.entries(isMap(n.inputs) ? n.inputs : {})) {
      if (!isMap(v)) continue;
      if (v.job_input_type === 'literal') inputs[k] = literalValue(v.value);
      else if (dataTypes.has(String(v.job_input_type)))
        inputs[k] = await this.dataInput(
          String(v.job_input_type),
          String(v.uri ?? ''),
          v.mode,
          path.join(dir, 'inputs', `${name}.${k}`),
          `input ${k} of ${name}`,
        );
    }
    out.inputs = inputs;
    const outputs: Json = {};
    for (const [k, v] of Object.entries(isMap(n.outputs) ? n.outputs : {})) {
      if (!isMap(v)) continue;
      if (v.type === 'literal') {
        outputs[k] = v.value;
        const m = /^\$\{\{\s*parent\.outputs\.([A-Za-z0-9_]+)\s*\}\}$/.exec(String(v.value));
        if (m) s.pipelineOutputs.set(m[1], { node: name, output: k });
      } else
        outputs[k] = {
          type: String(v.job_output_type ?? 'uri_folder'),
          ...(typeof v.mode === 'string' ? { mode: yamlModes[v.mode] ?? v.mode } : {}),
        };
    }
    out.outputs = outputs;
    const codeRef = n.type === 'parallel' ? (isMap(n.task) ? n.task.code : undefined) : n.code;
    const codeDir = typeof codeRef === 'string' ? await this.code(codeRef, path.join(dir, 'code', name)) : undefined;
    if (n.type === 'parallel') {
      const t = isMap(n.task) ? n.task : {};
      const task: Json = {};
      for (const [k, v] of Object.entries(t)) if (k !== 'code' && k !== 'environment' && v !== undefined && v !== null) task[k] = v;
      if (codeDir) task.code = `./${path.relative(dir, codeDir)}`;
      out.task = task;
    } else if (codeDir) out.code = `./${path.relative(dir, codeDir)}`;
    return out;
  }

  /** A code asset id → its blob folder (codeUri) → downloaded into `dest`. */
  private async code(ref: string, dest: string): Promise<string> {
    const id = ref.replace(/^azureml:/, '');
    const version = this.host.get(id);
    if (!version) throw new Error(`Code ${ref} is not registered in the workspace.`);
    const uri = String((version.properties as Json).codeUri ?? '');
    const { container, prefix } = this.blobLocation(uri);
    const n = await this.download(container, prefix, dest);
    if (n === 0) throw new Error(`Code ${ref}: no files under ${uri}.`);
    return dest;
  }

  /** A data input: a datastore path or a data asset, downloaded to `dest`; the YAML input to run it with. */
  private async dataInput(type: string, uri: string, mode: unknown, dest: string, what: string): Promise<Json> {
    const resolved = this.resolveDataUri(uri, what);
    const m = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/.exec(resolved);
    if (!m) throw new Error(`${what}: ${uri} is not a datastore path the fake can read.`);
    const ds = this.host.get(`${this.host.testWorkspaceId}/datastores/${m[1]}`);
    if (!ds) throw new Error(`${what}: datastore ${m[1]} does not exist.`);
    const container = String((ds.properties as Json).containerName);
    const blobPath = m[2];
    let local = dest;
    if (type === 'uri_file') {
      local = path.join(dest, path.posix.basename(blobPath));
      mkdirSync(dest, { recursive: true });
      await this.container(container).getBlobClient(blobPath).downloadToFile(local);
    } else {
      const n = await this.download(container, blobPath.replace(/\/+$/, '') + '/', dest);
      if (n === 0) throw new Error(`${what}: no files under ${uri}.`);
    }
    return { type, path: local, ...(typeof mode === 'string' ? { mode: yamlModes[mode] ?? mode } : {}) };
  }

  private resolveDataUri(uri: string, what: string): string {
    const asset = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9_.-]+)|@latest)$/.exec(uri);
    if (!asset) return uri;
    const wid = this.host.testWorkspaceId;
    const version =
      asset[2] ??
      String(((this.host.get(`${wid}/data/${asset[1]}`)?.properties as Json | undefined)?.latestVersion as string | undefined) ?? '1');
    const v = this.host.get(`${wid}/data/${asset[1]}/versions/${version}`);
    if (!v) throw new Error(`${what}: data asset ${asset[1]} version ${version} does not exist.`);
    return String((v.properties as Json).dataUri);
  }

  /** `http://host/account/container/a/b` (path style) → container and prefix. */
  private blobLocation(url: string): { container: string; prefix: string } {
    const parts = new URL(url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === this.storage.account.name) parts.shift();
    const [container, ...rest] = parts;
    return { container, prefix: rest.join('/') + '/' };
  }

  /** Downloads every blob under `prefix` into `dest` (relative paths kept); the number of files. */
  private async download(container: string, prefix: string, dest: string): Promise<number> {
    const c = this.container(container);
    let n = 0;
    for await (const b of c.listBlobsFlat({ prefix })) {
      const rel = b.name.slice(prefix.length);
      if (!rel) continue;
      const file = path.join(dest, ...rel.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      await c.getBlobClient(b.name).downloadToFile(file);
      n++;
    }
    return n;
  }

  // ---- outputs ------------------------------------------------------------------------------------------

  /** Each node output to its datastore path: a pipeline output's `azureml/<job>/<output>/`, else the step's. */
  private async uploadOutputs(s: JobState, summary: PipelineRunSummary): Promise<void> {
    const wid = this.host.testWorkspaceId;
    const container = this.container(this.defaultDatastore(wid).container);
    const byNode = new Map<string, string>();
    for (const [out, from] of s.pipelineOutputs) byNode.set(`${from.node}/${from.output}`, out);
    for (const node of summary.nodes) {
      if (node.status === 'Reused' || node.status === 'Skipped') continue;
      for (const [output, local] of Object.entries(node.outputs)) {
        if (!existsSync(local)) continue;
        const pipelineOutput = byNode.get(`${node.name}/${output}`);
        let target = container;
        let prefix = pipelineOutput
          ? `azureml/${s.name}/${pipelineOutput}/`
          : `azureml/${s.steps.get(node.name)?.runId ?? node.name}/${output}/`;
        const given = pipelineOutput ? /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/.exec(s.outputUris.get(pipelineOutput) ?? '') : null;
        if (given) {
          const ds = this.host.get(`${wid}/datastores/${given[1]}`);
          if (!ds) throw new Error(`Output ${pipelineOutput}: datastore ${given[1]} does not exist.`);
          target = this.container(String((ds.properties as Json).containerName));
          prefix = given[2].replace(/\/*$/, '/');
        }
        const files = statSync(local).isDirectory()
          ? listFiles(local).map((f) => [path.join(local, f), f] as const)
          : [[local, path.basename(local)] as const];
        await Promise.all(files.map(([abs, rel]) => target.getBlockBlobClient(prefix + rel).uploadFile(abs)));
      }
    }
  }

  private defaultDatastore(wid: string): { container: string } {
    const ds = this.host.get(`${wid}/datastores/workspaceblobstore`);
    return { container: String((ds?.properties as Json | undefined)?.containerName ?? 'azureml-blobstore-00000000-test') };
  }
}

class CanceledError extends Error {}

/** A literal as the service stores it (a string) → the YAML value (ints and booleans back to their type). */
function literalValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^-?\d+$/.test(v)) return Number(v);
  if (/^-?\d+\.\d+$/.test(v)) return Number(v);
  if (v === 'True' || v === 'False') return v === 'True';
  return v;
}

/** Files under `root`, relative, `/`-separated; none when it does not exist. */
function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}
