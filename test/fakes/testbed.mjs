// The Azure test bed in one call, for everything that runs VS Code against the fakes: the HTTPS fake ARM with a
// control port (faults, seeded jobs, page size) for callers in another process, its CA in a file for
// NODE_EXTRA_CA_CERTS, optionally Azurite holding the fake's storage account, and the VS Code settings and
// environment that point the extension at them. Used by test/integration/run.mjs (scenario `azure`),
// test/ui/azure-tree.mjs and scripts/try-azure.mjs (`npm run try-azure`). Needs `npx tsc -b .` first (it loads
// the compiled fakes from out/test/fakes/).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const compiled = (rel) => path.join(root, 'out', 'test', 'fakes', rel);

/** The test-only sign-in provider for `microsoft` / `microsoft-sovereign-cloud` (unsigned JWTs the fake ARM accepts). */
export const fakeAuthProvider = path.join(root, 'test', 'fakes', 'auth-provider');

/** The storage account of the fake's datastores and the key its `datastores.listSecrets` answers (not a secret). */
export const fakeStorageAccount = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };

/**
 * Starts the test bed. Options:
 *   azurite    also start Azurite (blob, in memory) holding `fakeStorageAccount`
 *   world      'tests' (default: the fake's own seed, which the tests assert on) or 'rich' (for people trying it:
 *              more data, model and environment versions, a data asset of each type, `jobs` more jobs)
 *   jobs       extra jobs to seed (newest first; more than `pageSize` shows "Load more…")
 *   pageSize   items per list page
 *   port       fixed port for the fake ARM (default: a free one)
 *   runJobs    run each submitted job with the local engine on what it finds in Azurite (needs `azurite`): the job
 *              advances through its statuses and writes logs, progress and outputs where the cloud would
 * Returns { fake, world, endpoint, caFile, control, blobEndpoint, settings, env, stop() }. `settings` are VS Code
 * user settings (the sovereign-cloud `custom` environment pointed at the fake), `env` the environment for
 * code-server (NODE_EXTRA_CA_CERTS, the control port, the Azurite endpoint).
 */
export async function startTestBed({ azurite = false, world: flavour = 'tests', jobs = 0, pageSize, port = 0, runJobs = false } = {}) {
  if (runJobs && !azurite) throw new Error('startTestBed: runJobs needs azurite (the jobs read their code and data there)');
  for (const f of ['arm/server.js', 'arm/world.js', 'azurite.js']) {
    if (!existsSync(compiled(f))) throw new Error(`${path.relative(root, compiled(f))} is missing: build first with \`npx tsc -b .\``);
  }
  const { FakeArm } = await import(pathToFileURL(compiled('arm/server.js')).href);
  const world = await import(pathToFileURL(compiled('arm/world.js')).href);
  const fake = new FakeArm();
  if (pageSize) fake.pageSize = pageSize;
  await fake.start({ port });
  const stops = [() => fake.stop()];
  try {
    if (flavour === 'rich') seedRichWorld(fake, world);
    if (jobs) fake.seedJobs(jobs);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-testbed-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, fake.ca);

    const control = await startControl(fake);
    stops.push(() => new Promise((resolve) => control.server.close(() => resolve())));

    let blob;
    if (azurite) {
      const { Azurite } = await import(pathToFileURL(compiled('azurite.js')).href);
      blob = await new Azurite(fakeStorageAccount).start();
      stops.push(() => blob.stop());
      // The datastores' containers exist, as they do in a workspace's storage account.
      for (const c of ['azureml-blobstore-00000000-test', 'azureml']) await blob.container(c);
      if (runJobs) fake.runJobs({ blobEndpoint: blob.blobEndpoint, account: fakeStorageAccount });
    }

    const settings = {
      'microsoft-sovereign-cloud.environment': 'custom',
      'microsoft-sovereign-cloud.customEnvironment': { name: 'Local test bed', resourceManagerEndpointUrl: fake.endpoint },
      // Uploads and downloads (Submit, the tree's actions, results) go to Azurite instead of the account's endpoint.
      ...(blob ? { 'parallelRun.azure.blobEndpoint': blob.blobEndpoint } : {}),
    };
    const env = {
      NODE_EXTRA_CA_CERTS: caFile,
      PARALLEL_RUN_FAKE_CONTROL: control.url,
      ...(blob ? { PARALLEL_RUN_TEST_BLOB_ENDPOINT: blob.blobEndpoint } : {}),
    };
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => {});
    };
    return {
      fake,
      world,
      endpoint: fake.endpoint,
      caFile,
      control: control.url,
      blobEndpoint: blob?.blobEndpoint,
      azurite: blob,
      settings,
      env,
      stop,
    };
  } catch (e) {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => {});
    throw e;
  }
}

/**
 * The control port: POST /inject {route, fault}, /clear, /seed-jobs {n}, /page-size {n}, /calls, /requests {route?},
 * /reset-counts.
 * The extension host (integration tests) and the UI test runner call it to shape the fake from outside.
 */
async function startControl(fake) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const b = body ? JSON.parse(body) : {};
        if (req.url === '/inject') fake.inject(b.route, { ...b.fault, times: b.fault.times === 'Infinity' ? Infinity : b.fault.times });
        else if (req.url === '/clear') fake.clearFaults();
        else if (req.url === '/seed-jobs') fake.seedJobs(b.n);
        else if (req.url === '/page-size') fake.pageSize = b.n;
        else if (req.url === '/calls') return void res.end(JSON.stringify(fake.callsByRoute()));
        else if (req.url === '/requests') {
          const seen = fake.requests.filter((q) => !b.route || q.route === b.route);
          return void res.end(JSON.stringify(seen.map((q) => ({ method: q.method, route: q.route, path: q.path, body: q.body }))));
        } else if (req.url === '/reset-counts') fake.resetCounts();
        else return void res.writeHead(404).end();
        res.end('{}');
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Calls a control port from this process (the UI test runner): `route` as above, `body` its JSON. */
export async function controlCall(controlUrl, route, body = {}) {
  const r = await fetch(`${controlUrl}${route}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`test bed control ${route}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * More for a person to browse than the tests' seed: each asset kind with several versions (newest first in
 * the tree), a data asset of each type (uri_folder, uri_file, mltable), a second cluster that is scaling, a
 * second model and environment. Everything says it is a local test bed.
 */
export function seedRichWorld(fake, w) {
  const wid = fake.testWorkspaceId;
  const day = (d) => new Date(Date.UTC(2026, 0, d));
  const ds = (p) => `azureml://datastores/workspaceblobstore/paths/${p}`;
  fake.put(
    w.amlComputeBody(wid, 'gpu-cluster', {
      vmSize: 'STANDARD_NC6S_V3',
      min: 0,
      max: 2,
      current: 1,
      vmPriority: 'LowPriority',
      description: 'Local test bed cluster',
    }),
  );
  const data = [
    ['digits', 'uri_folder', ['1', '2', '3'], (v) => ds(`digits/v${v}/`)],
    ['digits-labels', 'uri_file', ['1', '2'], (v) => ds(`digits/labels-v${v}.csv`)],
    ['iris-table', 'mltable', ['1'], () => ds('iris/')],
  ];
  for (const [name, type, versions, uri] of data) {
    fake.put(w.containerBody(wid, 'data', name, versions.at(-1), type));
    versions.forEach((v, i) =>
      fake.put(w.versionBody(wid, 'data', name, v, { dataType: type, dataUri: uri(v), description: 'Local test bed data' }, day(i + 2))),
    );
  }
  for (const [name, versions] of [
    ['digits-model', ['1', '2']],
    ['iris-classifier', ['1', '2', '3']],
  ]) {
    fake.put(w.containerBody(wid, 'models', name, versions.at(-1)));
    versions.forEach((v, i) =>
      fake.put(w.versionBody(wid, 'models', name, v, { modelType: 'custom_model', modelUri: ds(`models/${name}/v${v}/`) }, day(i + 2))),
    );
  }
  for (const [name, versions] of [
    ['sklearn-env', ['1', '2']],
    ['onnx-env', ['1']],
  ]) {
    fake.put(w.containerBody(wid, 'environments', name, versions.at(-1)));
    versions.forEach((v, i) =>
      fake.put(
        w.versionBody(
          wid,
          'environments',
          name,
          v,
          { image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04', environmentType: 'UserCreated' },
          day(i + 2),
        ),
      ),
    );
  }
}
