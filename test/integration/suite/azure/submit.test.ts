// Submit from VS Code against the fake ARM and Azurite (test/integration/run.mjs azure): the palette command on the
// digits sample asks the compute (the spec's first) and shows the estimate screen, the job PUT the fake receives
// names that cluster and the uploaded data, the job opens in the run panel with its status, Cancel ends it Canceled,
// and its row in the Jobs tree follows.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import { test } from '../harness';
import { activeExtension, EXTENSION_ID, waitFor, watchPrompts, workspaceUri } from '../helpers';

const PROVIDER = 'microsoft-sovereign-cloud';
const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'local-rg', workspace: 'local-ws' };

function control(route: string, body: unknown = {}): Promise<string> {
  const base = process.env.PARALLEL_RUN_FAKE_CONTROL;
  assert.ok(base, 'PARALLEL_RUN_FAKE_CONTROL is not set: run this through test/integration/run.mjs azure');
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${route}`, { method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${route}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function signedIn(): Promise<void> {
  const scopes = ['https://management.core.windows.net/.default'];
  if (await vscode.authentication.getSession(PROVIDER, scopes, { silent: true })) return;
  await vscode.authentication.getSession(PROVIDER, scopes);
  await vscode.commands.executeCommand(`${PROVIDER}:${EXTENSION_ID}:signIn0`);
  await waitFor(async () => vscode.authentication.getSession(PROVIDER, scopes, { silent: true }), 20_000, 'the sign-in');
}

/** The run panel's tab of a job: its title is "<job> · <status> · <when>". */
function panelTab(job: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith(`${job} · `));
}

test(
  "Submit from the palette on the digits sample: the job PUT names the spec's cluster, the panel shows the job, Cancel ends it Canceled",
  async () => {
    const ext = await activeExtension();
    await signedIn();
    // The folder's workspace, as a user downloads it from the studio.
    fs.writeFileSync(
      workspaceUri('config.json').fsPath,
      JSON.stringify({ subscription_id: ws.subscriptionId, resource_group: ws.resourceGroup, workspace_name: ws.workspace }),
    );
    await vscode.window.showTextDocument(workspaceUri('pipeline.yml'));
    await control('/reset-counts');
    const prompts = watchPrompts();
    let job: { name: string } | undefined;
    try {
      job = (await vscode.commands.executeCommand('parallelRun.azure.submit')) as { name: string } | undefined;
    } finally {
      prompts.restore();
    }
    assert.ok(job?.name, `a job was submitted; shown: ${JSON.stringify(prompts.messages)}; prompts: ${JSON.stringify(prompts.prompts)}`);
    assert.match(prompts.prompts[0] ?? '', /^quick pick: cpu-cluster/, "the spec's cluster is offered first");
    assert.match(prompts.prompts[1] ?? '', /Submit .*Change nodes or mini-batch size/, 'the estimate screen offers Submit and Change');

    const puts = JSON.parse(await control('/requests', { route: 'jobs.put' })) as {
      path: string;
      body: { properties: Record<string, any> };
    }[];
    assert.strictEqual(puts.length, 1);
    assert.ok(puts[0].path.endsWith(`/jobs/${job.name}`), puts[0].path);
    const p = puts[0].body.properties;
    assert.match(p.settings.default_compute, /\/computes\/cpu-cluster$/);
    assert.match(p.inputs.digit_images.uri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/images$/);

    const running = await waitFor(() => panelTab(job!.name), 20_000, `the run panel of ${job.name}`);
    assert.match(running.label, / · Running( · |$)/);

    // The Jobs tree lists it; its row follows the job.
    const model = (ext.exports as ExtensionApi).azureTree!();
    const find = async (parent: TreeNode | undefined, label: string | RegExp) => {
      const rows = await model.children(parent);
      const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
      assert.ok(n, `no row ${label} in ${JSON.stringify(rows.map((r) => r.view().label))}`);
      return n;
    };
    const jobsFolder = await find(await find(await find(undefined, 'Local test subscription'), /^local-ws/), 'Jobs');
    await vscode.commands.executeCommand('parallelRun.tree.refresh', jobsFolder);
    const row = (await model.children(jobsFolder)).find((r) => r.id.endsWith(`/${job!.name}`));
    assert.ok(row, 'the new job is in the Jobs folder');

    await vscode.commands.executeCommand('parallelRun.azure.cancelJob', { ws, name: job.name });
    const canceled = await waitFor(
      () => panelTab(job!.name)?.label.includes(' · Canceled') && panelTab(job!.name),
      60_000,
      `${job.name} Canceled in its panel`,
    );
    assert.match(canceled.label, / · Canceled/);
    await waitFor(() => /^Canceled/.test(row.view().description ?? '') && row, 20_000, "the job's row says Canceled");
    assert.strictEqual(row.view().icon, 'circle-slash');
  },
  { timeoutMs: 120_000 },
);
