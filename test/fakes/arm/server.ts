// An HTTPS fake of the Azure Resource Manager routes the Azure layer calls (api-version 2022-10-01, tenants and
// subscriptions 2022-12-01) plus run history, holding state, paging with nextLink, running LROs whose states
// advance per poll (never per clock), and failing on purpose per route. A test bed, not Azure: its
// subscription is named "Local test subscription".
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { selfSignedCert } from './cert';
import { jwtPayload } from './token';
import { JobRunner, type RunnerStorage } from './runner';
import * as w from './world';
import type { Json } from './world';

/** A failure to inject on a route: an HTTP error, a slow answer, or a dropped connection. */
export interface Fault {
  /** HTTP status to answer instead of the real response (401, 403, 404, 409, 429, 500, 503…). */
  status?: number;
  code?: string;
  message?: string;
  /** `Retry-After` header value (seconds) for 429/503. */
  retryAfter?: number | string;
  /** Wait this long before answering (the real answer, or the fault). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Put the caller's bearer token into the error message (tests that nothing echoes it further). */
  echoToken?: boolean;
  /** How many requests this fault applies to (default 1; Infinity for every one). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  route: string;
  path: string;
  query: URLSearchParams;
  body?: unknown;
  authorization?: string;
}

interface Operation {
  pollsLeft: number;
  fail?: { code: string; message: string };
  /** Applied once when the operation ends (e.g. the compute becomes Succeeded, or is removed). */
  complete: () => void;
  done: boolean;
}

const acceptedAudiences = new Set(['https://management.azure.com', 'https://management.core.windows.net']);
const wsPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)(?:\/(.*))?$/i;

export class FakeArm {
  endpoint = '';
  ca = '';
  /** Items per list page (the real service uses larger pages; tests lower it to exercise nextLink). */
  pageSize = 50;
  /** Polls an LRO answers "in progress" before it ends. */
  pollsPerOperation = 2;
  /** Tenants of the signed-in account (`GET /tenants` lists them all, whatever the token's tenant). */
  readonly tenants = [w.testTenant, w.mfaTenant];
  /** Subscriptions; `GET /subscriptions` shows those of the token's tenant, as ARM does. */
  readonly subscriptions = [w.testSubscription, w.mfaSubscription];
  /** Tenants whose tokens need an MFA claim (`amr` holding "mfa"); others get a 401 claims challenge. */
  readonly mfaTenants = new Set([w.mfaTenant.tenantId]);
  /**
   * What `datastores.listSecrets` answers per datastore (default: the account key of Azurite's `localtestsa`). A
   * list is answered in turn, its last entry from then on: a SAS token that expired, then a fresh one.
   */
  readonly datastoreSecrets = new Map<string, Json | Json[]>();
  /** The next compute creation fails with this error once its polls are used up. */
  nextProvisioningFailure?: { code: string; message: string };
  readonly requests: RecordedRequest[] = [];
  private readonly callCounts = new Map<string, number>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly store = new Map<string, Json>();
  private readonly runs = new Map<string, Json>();
  private readonly operations = new Map<string, Operation>();
  /** Resource id (lower case) → the operation still running on it: a GET of the resource advances it too. */
  private readonly pendingOn = new Map<string, Operation>();
  private server?: https.Server;
  /** Runs submitted jobs with the local engine once `runJobs(storage)` was called; else a PUT job stays NotStarted. */
  runner?: JobRunner;
  private readonly sockets = new Set<import('node:stream').Duplex>();

  /** Starts on 127.0.0.1 with a free port; `endpoint` and `ca` are set when it resolves. */
  async start(options: { seed?: boolean; port?: number } = {}): Promise<this> {
    const { key, cert } = selfSignedCert();
    this.ca = cert;
    this.server = https.createServer({ key, cert }, (req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.endpoint = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (options.seed !== false) this.seed();
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds a fault to a route (`computes.list`, `jobs.put`, `subscriptions.list`… see `routeOf`). */
  inject(route: string, fault: Fault): void {
    const list = this.faults.get(route) ?? [];
    list.push({ times: 1, ...fault });
    this.faults.set(route, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Requests seen per route since the start (or the last `resetCounts`). */
  calls(route: string): number {
    return this.callCounts.get(route) ?? 0;
  }

  callsByRoute(): Record<string, number> {
    return Object.fromEntries(this.callCounts);
  }

  resetCounts(): void {
    this.callCounts.clear();
    this.requests.length = 0;
  }

  /**
   * From now on each job PUT runs with the local engine on the code and data in `storage` (Azurite with the
   * datastores' account and key): see runner.ts. Returns the runner (jobDone, jobStarted, statusesOf…).
   */
  runJobs(storage: RunnerStorage): JobRunner {
    this.runner = new JobRunner(this, storage);
    return this.runner;
  }

  /** Resolves with a submitted job's final status once its logs and outputs are in storage. */
  jobDone(name: string): Promise<string> {
    if (!this.runner) return Promise.reject(new Error('The fake runs no jobs: call runJobs(storage) first.'));
    return this.runner.jobDone(name);
  }

  /** A run in run history (a pipeline job or one of its steps). */
  setRun(runId: string, run: Json): void {
    this.runs.set(runId, run);
  }

  patchRun(runId: string, patch: Json): void {
    const r = this.runs.get(runId);
    if (r) Object.assign(r, patch);
  }

  /** The ARM job's `properties.status`. */
  setJobStatus(name: string, status: string): void {
    const r = this.get(`${this.testWorkspaceId}/jobs/${name}`);
    if (r) (r.properties as Json).status = status;
  }

  // ---- state -------------------------------------------------------------------------------------------

  get testWorkspaceId(): string {
    return w.wsId(w.testSubscription.subscriptionId, w.testResourceGroup, w.testWorkspace);
  }

  put(resource: Json): void {
    this.store.set(String(resource.id).toLowerCase(), resource);
  }

  get(id: string): Json | undefined {
    return this.store.get(id.toLowerCase());
  }

  private remove(id: string): void {
    this.store.delete(id.toLowerCase());
  }

  /** Direct children of `parentId` in one collection segment (`computes`, `data`, `versions`…). */
  private children(parentId: string, segment: string): Json[] {
    const prefix = `${parentId}/${segment}/`.toLowerCase();
    return [...this.store.entries()].filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map(([, v]) => v);
  }

  /** The default world: one workspace with a cluster, an instance, datastores, assets, and jobs with steps. */
  seed(): void {
    const sub = w.testSubscription.subscriptionId;
    this.put(w.workspaceBody(sub, w.testResourceGroup, w.testWorkspace, this.endpoint));
    const wid = this.testWorkspaceId;
    this.put(w.amlComputeBody(wid, 'cpu-cluster', { min: 0, max: 4, current: 0 }));
    this.put(w.computeInstanceBody(wid, 'dev-instance'));
    this.put(
      w.blobDatastoreBody(wid, 'workspaceblobstore', {
        account: 'localtestsa',
        container: 'azureml-blobstore-00000000-test',
        isDefault: true,
      }),
    );
    this.put(w.blobDatastoreBody(wid, 'workspaceartifactstore', { account: 'localtestsa', container: 'azureml' }));
    this.put(w.containerBody(wid, 'data', 'digits', '1', 'uri_folder'));
    this.put(
      w.versionBody(wid, 'data', 'digits', '1', {
        dataType: 'uri_folder',
        dataUri: 'azureml://datastores/workspaceblobstore/paths/digits/',
      }),
    );
    this.put(w.containerBody(wid, 'models', 'digits-model', '1'));
    this.put(
      w.versionBody(wid, 'models', 'digits-model', '1', {
        modelType: 'custom_model',
        modelUri: 'azureml://datastores/workspaceblobstore/paths/models/digits/',
      }),
    );
    this.put(w.containerBody(wid, 'environments', 'sklearn-env', '1'));
    this.put(
      w.versionBody(wid, 'environments', 'sklearn-env', '1', {
        image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
        environmentType: 'UserCreated',
      }),
    );
    this.seedJobs(3);
  }

  /** Adds `n` pipeline jobs, newest first by creation time, each with one parallel step in run history. */
  seedJobs(n: number): void {
    const wid = this.testWorkspaceId;
    const t0 = Date.UTC(2026, 0, 1);
    const existing = this.children(wid, 'jobs').length;
    for (let i = 0; i < n; i++) {
      const k = existing + i;
      const name = `job-${String(k).padStart(5, '0')}`;
      this.put(w.jobBody(wid, name, { createdAt: new Date(t0 + k * 60_000), status: k % 7 === 3 ? 'Failed' : 'Completed' }, this.endpoint));
      this.runs.set(name, w.runBody(name, { runType: 'azureml.PipelineRun', displayName: name }));
      const step = `${name}-step`;
      this.runs.set(step, w.runBody(step, { parentRunId: name, displayName: 'batch_inference_node' }));
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const method = (req.method ?? 'GET').toUpperCase();
    const route = routeOf(method, url.pathname);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.requests.push({ method, route, path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization });
    this.callCounts.set(route, (this.callCounts.get(route) ?? 0) + 1);
    const requestId = w.newId();
    res.setHeader('x-ms-request-id', requestId);
    res.setHeader('x-ms-correlation-request-id', w.newId());

    const fault = this.takeFault(route);
    // unref: a slow answer still pending never keeps a finished test process alive.
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs).unref());
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
      const token = fault.echoToken ? (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') : '';
      const message = (fault.message ?? defaultFaultMessage(fault.status)) + (token ? ` The token presented was ${token}.` : '');
      return send(res, fault.status, { error: { code: fault.code ?? defaultFaultCode(fault.status), message } });
    }

    let claims: Record<string, unknown> = {};
    if (route !== 'discovery.get') {
      const authProblem = checkAuth(req.headers.authorization);
      if (authProblem) {
        res.setHeader('WWW-Authenticate', 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"');
        return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: authProblem } });
      }
      claims = jwtPayload(req.headers.authorization!.replace(/^Bearer\s+/i, ''))!;
      const amr = Array.isArray(claims.amr) ? (claims.amr as unknown[]) : [];
      if (this.mfaTenants.has(String(claims.tid)) && !amr.includes('mfa')) {
        const challenge = Buffer.from(JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } })).toString('base64');
        res.setHeader(
          'WWW-Authenticate',
          `Bearer authorization_uri="https://login.microsoftonline.com/${String(claims.tid)}", error="insufficient_claims", claims="${challenge}"`,
        );
        return send(res, 401, {
          error: {
            code: 'InvalidAuthenticationTokenTenant',
            message: `Tenant ${String(claims.tid)} requires multi-factor authentication: sign in to this tenant again with MFA.`,
          },
        });
      }
    }
    try {
      this.route(method, route, url, body, res, claims);
    } catch (e) {
      send(res, 500, { error: { code: 'FakeArmBug', message: String((e as Error).stack ?? e) } });
    }
  }

  private takeFault(route: string): Fault | undefined {
    const list = this.faults.get(route) ?? this.faults.get('*');
    const f = list?.find((x) => (x.times ?? 1) > 0);
    if (f) f.times = (f.times ?? 1) - 1;
    return f;
  }

  private route(method: string, route: string, url: URL, body: unknown, res: ServerResponse, claims: Record<string, unknown>): void {
    const path = url.pathname;
    const q = url.searchParams;
    switch (route) {
      case 'tenants.list':
        return this.list(
          res,
          url,
          this.tenants.map((t, i) => ({
            id: `/tenants/${t.tenantId}`,
            ...t,
            tenantCategory: i === 0 ? 'Home' : 'ProjectedBy',
            domains: [t.defaultDomain],
          })),
        );
      case 'subscriptions.list':
        return this.list(
          res,
          url,
          this.subscriptions
            .filter((s) => s.tenantId === claims.tid)
            .map((s) => ({ id: `/subscriptions/${s.subscriptionId}`, ...s, authorizationSource: 'RoleBased' })),
        );
      case 'discovery.get':
        return send(res, 200, {
          api: this.endpoint,
          catalog: this.endpoint,
          experimentation: this.endpoint,
          history: this.endpoint,
          modelmanagement: this.endpoint,
          pipelines: this.endpoint,
        });
      case 'operations.status':
        return this.pollStatus(res, path.split('/').pop()!);
      case 'operations.result':
        return this.pollResult(res, path.split('/').pop()!);
      case 'vmSizes.list':
        return send(res, 200, { value: w.vmSizes });
    }
    if (route === 'workspaces.listBySubscription' || route === 'workspaces.listByResourceGroup') {
      const sub = path.split('/')[2].toLowerCase();
      const rg = route === 'workspaces.listByResourceGroup' ? path.split('/')[4].toLowerCase() : undefined;
      const items = [...this.store.values()].filter((r) => {
        const m = wsPattern.exec(String(r.id));
        return m && !m[4] && m[1].toLowerCase() === sub && (!rg || m[2].toLowerCase() === rg);
      });
      return this.list(res, url, items);
    }
    if (route.startsWith('history.') || route === 'datastore.setDefault' || route === 'artifact.contentinfo')
      return this.dataPlane(route, path, url, res);
    const m = wsPattern.exec(path);
    if (!m)
      return send(res, 404, { error: { code: 'NoRegisteredProviderFound', message: `No route for ${method} ${path} in the fake ARM.` } });
    const wid = w.wsId(m[1], m[2], m[3]);
    const ws = this.get(wid);
    if (!ws) return notFound(res, `Workspace ${m[3]} in resource group ${m[2]}`);
    if (route === 'workspaces.get') return send(res, 200, ws);
    const rest = (m[4] ?? '').split('/');
    const [segment, name, sub2, version] = rest;
    const id = `${wid}/${rest.join('/')}`;
    switch (route) {
      case 'computes.list':
      case 'datastores.list':
      case 'data.list':
      case 'models.list':
      case 'environments.list':
        return this.list(res, url, this.children(wid, segment));
      case 'jobs.list':
        return this.list(res, url, this.children(wid, 'jobs').sort(newestFirst));
      case 'data.versions.list':
      case 'models.versions.list':
      case 'environments.versions.list':
        if (!this.get(`${wid}/${segment}/${name}`)) return notFound(res, `${segment} ${name}`);
        return this.list(res, url, this.children(`${wid}/${segment}/${name}`, 'versions').sort(newestFirst));
      case 'computes.get': {
        const op = this.pendingOn.get(id.toLowerCase());
        if (op) this.advance(op); // states advance as polled, whether through the operation or the resource
        const r = this.get(id);
        return r ? send(res, 200, r) : notFound(res, `computes ${name}`);
      }
      case 'datastores.get':
      case 'data.get':
      case 'models.get':
      case 'environments.get':
      case 'data.versions.get':
      case 'models.versions.get':
      case 'environments.versions.get':
      case 'codes.versions.get':
      case 'jobs.get': {
        const r = this.get(id);
        return r ? send(res, 200, r) : notFound(res, `${segment} ${name}${version ? ` version ${version}` : ''}`);
      }
      case 'computes.put':
        return this.putCompute(wid, name, body as Json, res);
      case 'computes.patch':
        return this.patchCompute(id, body as Json, res);
      case 'computes.delete':
        return this.deleteCompute(id, name, q, res);
      case 'datastores.put':
        return this.putDatastore(wid, name, body as Json, res);
      case 'datastores.listSecrets': {
        const r = this.get(`${wid}/datastores/${name}`);
        if (!r) return notFound(res, `datastore ${name}`);
        const set = this.datastoreSecrets.get(name);
        if (Array.isArray(set)) return send(res, 200, set.length > 1 ? set.shift() : set[0]);
        return send(res, 200, set ?? { secretsType: 'AccountKey', key: 'ZmFrZS1hY2NvdW50LWtleQ==' });
      }
      case 'data.versions.put':
      case 'models.versions.put':
      case 'environments.versions.put':
      case 'codes.versions.put':
        return this.putVersion(wid, segment as w.AssetSegment, name, version, body as Json, res);
      case 'jobs.put':
        return this.putJob(wid, name, body as Json, res);
      case 'jobs.cancel':
        return this.cancelJob(`${wid}/jobs/${name}`, res);
    }
    void sub2;
    return send(res, 404, { error: { code: 'NoRegisteredProviderFound', message: `The fake ARM has no ${method} ${path}.` } });
  }

  /** One page of `items`; `$skipToken` is the index of the page's first item. */
  private list(res: ServerResponse, url: URL, items: Json[]): void {
    const start = Number(url.searchParams.get('$skipToken') ?? 0) || 0;
    const page = items.slice(start, start + this.pageSize);
    let nextLink: string | undefined;
    if (start + this.pageSize < items.length) {
      const next = new URL(url.pathname, this.endpoint);
      for (const [k, v] of url.searchParams) if (k !== '$skipToken') next.searchParams.set(k, v);
      next.searchParams.set('$skipToken', String(start + this.pageSize));
      nextLink = next.toString();
    }
    send(res, 200, nextLink ? { value: page, nextLink } : { value: page });
  }

  private newOperation(op: Omit<Operation, 'done' | 'pollsLeft'>): { id: string; statusUrl: string; resultUrl: string } {
    const id = w.newId();
    this.operations.set(id, { ...op, pollsLeft: this.pollsPerOperation, done: false });
    const base = `${this.endpoint}/subscriptions/${w.testSubscription.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${w.testLocation}`;
    return {
      id,
      statusUrl: `${base}/computeOperationsStatus/${id}?api-version=2022-10-01`,
      resultUrl: `${base}/computeOperationResults/${id}?api-version=2022-10-01`,
    };
  }

  /** Advances an operation by one poll; true when it has ended (and its outcome was applied). */
  private advance(op: Operation): boolean {
    if (op.done) return true;
    if (op.pollsLeft > 0) {
      op.pollsLeft -= 1;
      return false;
    }
    op.done = true;
    op.complete();
    for (const [k, v] of this.pendingOn) if (v === op) this.pendingOn.delete(k);
    return true;
  }

  private pollStatus(res: ServerResponse, id: string): void {
    const op = this.operations.get(id);
    if (!op) return notFound(res, `operation ${id}`);
    if (!this.advance(op)) return send(res, 200, { id, name: id, status: 'InProgress' });
    if (op.fail) return send(res, 200, { id, name: id, status: 'Failed', error: op.fail });
    send(res, 200, { id, name: id, status: 'Succeeded' });
  }

  private pollResult(res: ServerResponse, id: string): void {
    const op = this.operations.get(id);
    if (!op) return notFound(res, `operation ${id}`);
    if (!this.advance(op)) {
      res.setHeader('Location', this.locationOf(id));
      res.setHeader('Retry-After', '0');
      return send(res, 202, undefined);
    }
    if (op.fail) return send(res, 400, { error: op.fail });
    send(res, 200, undefined);
  }

  private locationOf(id: string): string {
    return `${this.endpoint}/subscriptions/${w.testSubscription.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${w.testLocation}/computeOperationResults/${id}?api-version=2022-10-01`;
  }

  private putCompute(wid: string, name: string, body: Json, res: ServerResponse): void {
    const props = (body?.properties ?? {}) as Json;
    if (props.computeType !== 'AmlCompute') {
      return send(res, 400, {
        error: { code: 'BadRequest', message: `The fake ARM creates only AmlCompute, not ${String(props.computeType)}.` },
      });
    }
    const id = `${wid}/computes/${name}`;
    const existing = this.get(id);
    if (existing && (existing.properties as Json).provisioningState === 'Creating') {
      return send(res, 409, {
        error: { code: 'Conflict', message: `Compute ${name} is still being created; wait for that operation to finish.` },
      });
    }
    const aml = (props.properties ?? {}) as Json;
    const scale = (aml.scaleSettings ?? {}) as Json;
    const resource = w.amlComputeBody(wid, name, {
      vmSize: aml.vmSize as string,
      vmPriority: aml.vmPriority as string,
      min: scale.minNodeCount as number,
      max: scale.maxNodeCount as number,
      idle: scale.nodeIdleTimeBeforeScaleDown as string,
      description: props.description as string,
      state: 'Creating',
    });
    this.put(resource);
    const fail = this.nextProvisioningFailure;
    this.nextProvisioningFailure = undefined;
    const op = this.newOperation({
      fail,
      complete: () => {
        const p = resource.properties as Json;
        p.provisioningState = fail ? 'Failed' : 'Succeeded';
        const inner = p.properties as Json;
        inner.allocationState = 'Steady';
        inner.currentNodeCount = (inner.scaleSettings as Json).minNodeCount ?? 0;
        if (fail) p.provisioningErrors = [{ error: fail }];
      },
    });
    this.pendingOn.set(id.toLowerCase(), this.operations.get(op.id)!);
    res.setHeader('Azure-AsyncOperation', op.statusUrl);
    send(res, existing ? 200 : 201, resource);
  }

  private patchCompute(id: string, body: Json, res: ServerResponse): void {
    const r = this.get(id);
    if (!r) return notFound(res, `compute ${id.split('/').pop()}`);
    // Wire shape of ClusterUpdateParameters: {properties: {properties: {scaleSettings}}}.
    const scale = ((((body?.properties as Json)?.properties as Json) ?? {}).scaleSettings ?? {}) as Json;
    const inner = (r.properties as Json).properties as Json;
    const current = inner.scaleSettings as Json;
    for (const k of ['minNodeCount', 'maxNodeCount', 'nodeIdleTimeBeforeScaleDown']) if (scale[k] !== undefined) current[k] = scale[k];
    inner.targetNodeCount = current.minNodeCount;
    send(res, 200, r);
  }

  private deleteCompute(id: string, name: string, q: URLSearchParams, res: ServerResponse): void {
    if (!this.get(id)) return notFound(res, `compute ${name}`);
    if (!q.get('underlyingResourceAction')) {
      return send(res, 400, { error: { code: 'BadRequest', message: 'underlyingResourceAction (Delete or Detach) is required.' } });
    }
    (this.get(id)!.properties as Json).provisioningState = 'Deleting';
    const op = this.newOperation({ complete: () => this.remove(id) });
    res.setHeader('Location', op.resultUrl);
    res.setHeader('Retry-After', '0');
    send(res, 202, undefined);
  }

  private putDatastore(wid: string, name: string, body: Json, res: ServerResponse): void {
    const p = (body?.properties ?? {}) as Json;
    if (p.datastoreType !== 'AzureBlob')
      return send(res, 400, {
        error: { code: 'BadRequest', message: `datastoreType ${String(p.datastoreType)} is not supported by the fake.` },
      });
    const creds = (p.credentials ?? {}) as Json;
    const id = `${wid}/datastores/${name}`;
    const existed = !!this.get(id);
    const r = w.blobDatastoreBody(wid, name, {
      account: p.accountName as string,
      container: p.containerName as string,
      credentialsType: creds.credentialsType as string,
      isDefault: existed ? ((this.get(id)!.properties as Json).isDefault as boolean) : false,
    });
    (r.properties as Json).description = p.description ?? null;
    this.put(r); // secrets are kept out of every response, as ARM does
    send(res, existed ? 200 : 201, r);
  }

  private putVersion(wid: string, kind: w.AssetSegment, name: string, version: string, body: Json, res: ServerResponse): void {
    const props = (body?.properties ?? {}) as Json;
    const id = `${wid}/${kind}/${name}/versions/${version}`;
    if (this.get(id) && kind !== 'environments') {
      return send(res, 409, {
        error: {
          code: 'UserError',
          message: `Version ${version} of ${name} already exists with different contents; asset versions are immutable. Use another version.`,
        },
      });
    }
    if (kind === 'data' && !props.dataUri) return send(res, 400, { error: { code: 'UserError', message: 'dataUri is required.' } });
    const r = w.versionBody(wid, kind, name, version, props);
    this.put(r);
    this.put(w.containerBody(wid, kind, name, version, props.dataType as string | undefined));
    send(res, 201, r);
  }

  private putJob(wid: string, name: string, body: Json, res: ServerResponse): void {
    const props = (body?.properties ?? {}) as Json;
    if (!props.jobType) return send(res, 400, { error: { code: 'UserError', message: 'properties.jobType is required.' } });
    const r = w.jobBody(
      wid,
      name,
      {
        jobType: props.jobType as string,
        status: 'NotStarted',
        displayName: props.displayName as string,
        experimentName: props.experimentName as string,
        properties: props,
      },
      this.endpoint,
    );
    (r.properties as Json).status = 'NotStarted';
    this.put(r);
    this.runs.set(name, w.runBody(name, { runType: 'azureml.PipelineRun', status: 'NotStarted' }));
    send(res, 201, r);
    this.runner?.start(name, props);
  }

  private cancelJob(id: string, res: ServerResponse): void {
    const r = this.get(id);
    if (!r) return notFound(res, `job ${id.split('/').pop()}`);
    const name = id.split('/').pop()!;
    const running = this.runner?.isActive(name) ?? false;
    (r.properties as Json).status = 'CancelRequested';
    // A job the runner runs ends Canceled when its engine has stopped; any other job when the operation ends.
    if (running) this.runner!.cancel(name);
    const op = this.newOperation({ complete: () => (running ? undefined : ((r.properties as Json).status = 'Canceled')) });
    res.setHeader('Location', op.resultUrl);
    res.setHeader('Retry-After', '0');
    send(res, 202, undefined);
  }

  private dataPlane(route: string, path: string, url: URL, res: ServerResponse): void {
    const m = /\/workspaces\/([^/]+)\/(.*)$/.exec(path);
    const tail = m?.[2] ?? '';
    if (route === 'datastore.setDefault') {
      const name = decodeURIComponent(tail.split('/')[1] ?? '');
      const ds = this.get(`${this.testWorkspaceId}/datastores/${name}`);
      if (!ds) return notFound(res, `datastore ${name}`);
      for (const d of this.children(this.testWorkspaceId, 'datastores')) (d.properties as Json).isDefault = d === ds;
      return send(res, 200, undefined);
    }
    if (route === 'artifact.contentinfo') {
      const am = /\/artifacts\/ExperimentRun\/dcid\.([^/]+)\/prefix\/contentinfo$/.exec(path);
      const runId = decodeURIComponent(am?.[1] ?? '');
      if (!this.runs.has(runId)) return send(res, 404, { error: { code: 'UserError', message: `Run ${runId} was not found` } });
      const all = this.runner?.contentInfo(runId, url.searchParams.get('path') ?? '') ?? [];
      const start = Number(url.searchParams.get('continuationToken') ?? 0) || 0;
      const page = all.slice(start, start + this.pageSize);
      if (start + this.pageSize >= all.length) return send(res, 200, { value: page });
      const next = new URL(url.pathname, this.endpoint);
      next.searchParams.set('path', url.searchParams.get('path') ?? '');
      next.searchParams.set('continuationToken', String(start + this.pageSize));
      return send(res, 200, { value: page, continuationToken: String(start + this.pageSize), nextLink: next.toString() });
    }
    const runId = decodeURIComponent(tail.split('/')[1] ?? '');
    const run = this.runs.get(runId);
    if (!run)
      return send(res, 404, { error: { code: 'UserError', message: `Run ${runId} was not found`, innerError: { code: 'NotFoundError' } } });
    if (route === 'history.details') return send(res, 200, { ...run, logFiles: this.runner?.logFiles(runId) ?? {} });
    const kids = [...this.runs.values()].filter((r) => r.parentRunId === runId);
    this.list(res, url, kids);
  }
}

/** The route name of a request: what faults and call counts are keyed by. */
export function routeOf(method: string, path: string): string {
  const p = path.replace(/\/+$/, '');
  if (p === '/tenants') return 'tenants.list';
  if (p === '/subscriptions') return 'subscriptions.list';
  if (p === '/discovery') return 'discovery.get';
  if (/\/computeOperationsStatus\/[^/]+$/.test(p)) return 'operations.status';
  if (/\/computeOperationResults\/[^/]+$/.test(p)) return 'operations.result';
  if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/locations\/[^/]+\/vmSizes$/i.test(p)) return 'vmSizes.list';
  if (/^\/history\/v1\.0\/.*\/runs\/[^/]+\/children$/.test(p)) return 'history.children';
  if (/^\/history\/v1\.0\/.*\/runs\/[^/]+\/details$/.test(p)) return 'history.details';
  if (/^\/artifact\/v2\.0\/.*\/artifacts\/ExperimentRun\/dcid\.[^/]+\/prefix\/contentinfo$/.test(p)) return 'artifact.contentinfo';
  if (/^\/datastore\/v1\.0\/.*\/default\/[^/]+$/.test(p) && method === 'PUT') return 'datastore.setDefault';
  if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces$/i.test(p))
    return 'workspaces.listBySubscription';
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces$/i.test(p))
    return 'workspaces.listByResourceGroup';
  const m = wsPattern.exec(p);
  if (!m) return `unknown ${method} ${p}`;
  if (!m[4]) return 'workspaces.get';
  const rest = m[4].split('/');
  const verb = (one: boolean): string => (method === 'GET' ? (one ? 'get' : 'list') : method.toLowerCase());
  const [segment] = rest;
  if (rest.length === 1) return `${segment}.${verb(false)}`;
  if (rest.length === 2) return `${segment}.${verb(true)}`;
  if (rest.length === 3 && rest[2] === 'versions') return `${segment}.versions.${verb(false)}`;
  if (rest.length === 4 && rest[2] === 'versions') return `${segment}.versions.${verb(true)}`;
  if (rest.length === 3 && method === 'POST') return `${segment}.${rest[2]}`;
  return `unknown ${method} ${p}`;
}

function checkAuth(header: string | undefined): string | undefined {
  if (!header || !/^Bearer\s+\S+/i.test(header)) return 'The request has no bearer token: Authorization header missing.';
  const payload = jwtPayload(header.replace(/^Bearer\s+/i, ''));
  if (!payload) return 'The access token is not a JWT.';
  const aud = String(payload.aud ?? '').replace(/\/$/, '');
  if (!acceptedAudiences.has(aud)) return `The access token has audience ${aud}, expected https://management.azure.com.`;
  if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return 'The access token has expired.';
  return undefined;
}

function newestFirst(a: Json, b: Json): number {
  const t = (r: Json): string => String((r.systemData as Json | undefined)?.createdAt ?? '');
  return t(b).localeCompare(t(a));
}

function notFound(res: ServerResponse, what: string): void {
  send(res, 404, { error: { code: 'ResourceNotFound', message: `${what} was not found.` } });
}

function defaultFaultCode(status: number): string {
  return (
    (
      {
        401: 'InvalidAuthenticationToken',
        403: 'AuthorizationFailed',
        404: 'ResourceNotFound',
        409: 'Conflict',
        429: 'TooManyRequests',
        500: 'InternalServerError',
        503: 'ServiceUnavailable',
      } as Record<number, string>
    )[status] ?? `Http${status}`
  );
}

function defaultFaultMessage(status: number): string {
  return (
    (
      {
        401: 'The access token is invalid.',
        403: "The client 'tester@local.test' does not have authorization to perform this action.",
        404: 'The resource was not found.',
        409: 'The resource is in a conflicting state.',
        429: 'Too many requests; retry later.',
        500: 'An internal error occurred.',
        503: 'The service is temporarily unavailable.',
      } as Record<number, string>
    )[status] ?? `Failure ${status}.`
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
