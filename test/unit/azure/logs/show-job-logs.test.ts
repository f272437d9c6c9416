// "Show Job Logs…" as the extension runs it, with just enough of `vscode` faked to see the quick pick and the
// editor it opens, against the fake ARM and Azurite: the files grouped by step and node with their sizes, the
// pick downloaded into global storage and opened, a second pick appending only what the job wrote since, and
// the run panel's `{ ws, name, tenantId, file }` argument opening a file without a pick.
import Module = require('node:module');
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { putJob } from '../../../../src/core/azure/resources/jobs';
import type { JobRunner } from '../../../fakes/arm/runner';
import { Azurite } from '../../../fakes/azurite';
import { useFakeArm } from '../fake-arm';

interface Item {
  label: string;
  kind?: number;
  description?: string;
}
const seen = { picks: [] as { items: Item[]; title?: string }[], opened: [] as string[], errors: [] as string[], infos: [] as string[] };
let choose: (items: Item[]) => Item | undefined = () => undefined;
const SEPARATOR = -1;
const fakeVscode = {
  Uri: { file: (fsPath: string) => ({ fsPath }) },
  QuickPickItemKind: { Separator: SEPARATOR, Default: 0 },
  ProgressLocation: { Notification: 15 },
  ViewColumn: { One: 1, Two: 2 },
  TabInputWebview: class {},
  window: {
    withProgress: (_o: unknown, work: (p: unknown, t: unknown) => Promise<unknown>) =>
      work({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) }),
    showQuickPick: async (items: Item[], o: { title?: string }) => {
      seen.picks.push({ items, title: o.title });
      return choose(items);
    },
    showTextDocument: async (doc: { uri: { fsPath: string } }) => {
      seen.opened.push(doc.uri.fsPath);
    },
    showErrorMessage: async (m: string) => void seen.errors.push(m),
    showInformationMessage: async (m: string) => void seen.infos.push(m),
    setStatusBarMessage: () => ({ dispose: () => undefined }),
  },
  workspace: { openTextDocument: async (uri: { fsPath: string }) => ({ uri }) },
  commands: { executeCommand: async () => undefined },
};
const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
};
type Command = typeof import('../../../../src/vscode/azure/logs/show-job-logs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after `vscode` is faked
const command = require('../../../../src/vscode/azure/logs/show-job-logs') as Command;
const { showJobLogsCommand, jobLogsTargetOf, jobStorageDir } = command;

const account = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
const bed = useFakeArm();
const azurite = new Azurite(account);
let runner: JobRunner;
before(() => azurite.start());
after(() => azurite.stop());

const storage = mkdtempSync(path.join(os.tmpdir(), 'prs-global-storage-'));
const logLines: string[] = [];
const host = () => ({
  storage,
  log: { info: (m: string) => logLines.push(m) },
  tree: {
    clients: {
      access: { api: async () => import('../../../../src/core/azure') },
      mlFor: async () => bed.ml,
    },
  },
});
type Host = Parameters<typeof showJobLogsCommand>[0];

/** A job held at Queued whose run has the files a test writes (appendLog): no engine, no clock. */
async function heldJob(name: string, files: Record<string, string>): Promise<void> {
  // Made here, not in a hook: root hooks may run at the same time, so the fake may not have started there.
  runner ??= bed.fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account });
  runner.holdQueued = true;
  try {
    await putJob(bed.ml, bed.ws, name, { properties: { jobType: 'Pipeline', jobs: {} } });
    for (const [rel, text] of Object.entries(files)) await runner.appendLog(name, rel, text);
  } finally {
    runner.holdQueued = false;
  }
}

test('the pick lists the files under a separator per step and node, with sizes; the chosen one is downloaded into global storage and opened', async () => {
  await heldJob('ui_logs_1', {
    'logs/user/stdout/node0/process001.stdout.txt': 'p1\n',
    'logs/user/stdout/node0/process000.stdout.txt': 'run method start: hello\n',
    'logs/user/entry_script_log/node0/process000.log.txt': 'INFO loaded\n',
    'logs/job_result.txt': 'Job is running.\n',
  });
  choose = (items) => items.find((i) => i.label.endsWith(' process000 stdout'));
  await showJobLogsCommand(host() as unknown as Host, { ws: bed.ws, name: 'ui_logs_1', discoveryUrl: bed.discoveryUrl });
  const pick = seen.picks.at(-1)!;
  assert.match(pick.title!, /^Logs of job ui_logs_1 \(Queued: pick a file again later to read what is new\)$/);
  assert.deepEqual(
    pick.items.map((i) => (i.kind === SEPARATOR ? `-- ${i.label}` : `${i.label.replace(/^\$\([a-z-]+\) /, '')} | ${i.description}`)),
    [
      '-- pipeline ui_logs_1 · node0',
      'process000 stdout | 24 B · logs/user/stdout/node0/process000.stdout.txt',
      'process000 entry script log | 12 B · logs/user/entry_script_log/node0/process000.log.txt',
      'process001 stdout | 3 B · logs/user/stdout/node0/process001.stdout.txt',
      '-- pipeline ui_logs_1 · result, errors and driver log',
      'job_result.txt | 16 B · logs/job_result.txt',
    ],
  );
  const expected = path.join(
    jobStorageDir(storage, bed.ws, 'ui_logs_1'),
    'logs',
    'ui_logs_1',
    'logs',
    'user',
    'stdout',
    'node0',
    'process000.stdout.txt',
  );
  assert.ok(expected.startsWith(path.join(storage, 'cloud-jobs', bed.ws.subscriptionId, 'local-rg', 'local-ws', 'ui_logs_1')));
  assert.deepEqual(seen.opened, [expected]);
  assert.equal(readFileSync(expected, 'utf8'), 'run method start: hello\n');

  // The job writes more; picking the file again appends only that.
  await runner.appendLog('ui_logs_1', 'logs/user/stdout/node0/process000.stdout.txt', 'run method end\n');
  azurite.resetCounts();
  await showJobLogsCommand(host() as unknown as Host, { ws: bed.ws, name: 'ui_logs_1', discoveryUrl: bed.discoveryUrl });
  assert.equal(readFileSync(expected, 'utf8'), 'run method start: hello\nrun method end\n');
  assert.match(logLines.at(-1)!, /^Job ui_logs_1: logs\/user\/stdout\/node0\/process000\.stdout\.txt \+15 bytes \(39 now\) → /);
  const ranged = azurite.requests.filter((r) => r.method === 'GET' && r.path.endsWith('process000.stdout.txt'));
  assert.equal(ranged.length, 1, 'one read of the new bytes');
  assert.doesNotMatch(logLines.join('\n'), /sig=/);
  runner.cancel('ui_logs_1');
});

test("the run panel's argument with a file opens it without a pick; a file the job lacks says so", async () => {
  await heldJob('ui_logs_2', { 'logs/user/stdout/node0/process000.stdout.txt': 'from the panel\n' });
  const picks = seen.picks.length;
  await showJobLogsCommand(host() as unknown as Host, {
    ws: bed.ws,
    name: 'ui_logs_2',
    tenantId: 'tenant-1',
    file: 'node0/process000.stdout.txt',
  });
  assert.equal(seen.picks.length, picks, 'no quick pick');
  assert.equal(readFileSync(seen.opened.at(-1)!, 'utf8'), 'from the panel\n');
  await showJobLogsCommand(host() as unknown as Host, { ws: bed.ws, name: 'ui_logs_2', file: 'node3/process000.stdout.txt' });
  assert.match(seen.errors.at(-1)!, /^No log file node3\/process000\.stdout\.txt in job ui_logs_2\./);
  await showJobLogsCommand(host() as unknown as Host, { ws: bed.ws, name: 'ui_logs_2', step: 'scoring' });
  assert.match(seen.errors.at(-1)!, /^Job ui_logs_2 has no step scoring\. Its steps: none yet/);
  assert.equal(seen.picks.length, picks, 'still no quick pick');
  runner.cancel('ui_logs_2');
});

test('the command takes a job row of the tree or a { ws, name } object; anything else is ignored', () => {
  const row = {
    job: { name: 'j1', status: 'Running' },
    folder: { workspace: { ref: bed.ws, sub: { tenantId: 't1' }, ws: { discoveryUrl: 'https://d' } } },
  };
  assert.deepEqual(jobLogsTargetOf(row), { ws: bed.ws, name: 'j1', tenantId: 't1', discoveryUrl: 'https://d' });
  assert.deepEqual(
    jobLogsTargetOf({ ws: { ...bed.ws, extra: 1 }, name: 'j2', tenantId: 't2', step: 'score', file: 'logs/job_result.txt' }),
    {
      ws: bed.ws,
      name: 'j2',
      tenantId: 't2',
      discoveryUrl: undefined,
      step: 'score',
      file: 'logs/job_result.txt',
    },
  );
  const stepRow = { id: 'azure/sub-1/rg-1/ws-1/jobs/j4/j4_score', view: () => ({ label: 'score', contextValue: 'azureJobStep' }) };
  assert.deepEqual(jobLogsTargetOf(stepRow), {
    ws: { subscriptionId: 'sub-1', resourceGroup: 'rg-1', workspace: 'ws-1' },
    name: 'j4',
    step: 'j4_score',
  });
  const computeRow = { id: 'azure/sub-1/rg-1/ws-1/jobs/j4/j4_score', view: () => ({ label: 'c', contextValue: 'azureCompute.cluster' }) };
  assert.equal(jobLogsTargetOf(computeRow), undefined, 'only a step row');
  for (const bad of [undefined, null, 'j1', { name: 'j3' }, { ws: { subscriptionId: 's' }, name: 'j3' }, { ws: bed.ws, name: '' }])
    assert.equal(jobLogsTargetOf(bad), undefined, JSON.stringify(bad));
});

test('a run whose artifact listing is not there yet (404) lists what its details name; other failures say what failed', async () => {
  await heldJob('ui_logs_3', { 'user_logs/std_log.txt': 'starting\n', 'logs/job_result.txt': 'x\n' });
  const { JobLogs } = await import('../../../../src/core/azure/logs');
  const logs = new JobLogs({ ml: bed.ml, ws: bed.ws, name: 'ui_logs_3', discoveryUrl: bed.discoveryUrl });
  bed.fake.inject('artifact.contentinfo', { status: 404, code: 'NotFound', message: 'No container', times: Infinity });
  try {
    const list = await logs.list();
    assert.deepEqual(
      list.steps.flatMap((s) => s.files.map((f) => f.path)),
      ['user_logs/std_log.txt'],
    );
  } finally {
    bed.fake.clearFaults();
  }
  bed.fake.inject('artifact.contentinfo', { status: 403, code: 'AuthorizationFailed', message: 'No access', times: Infinity });
  try {
    await assert.rejects(logs.list(), /^AzureError: Could not list the logs of run ui_logs_3: your account has no permission/);
  } finally {
    bed.fake.clearFaults();
  }
  runner.cancel('ui_logs_3');
});
