// Live status in the Jobs tree, in a real VS Code against the fake ARM (test/integration/run.mjs azure): a job
// submitted and canceled behind the extension's back (straight REST calls, as `az ml` or the studio would make)
// changes status in its row while the view shows, without a refresh and without this window following it.
import * as assert from 'assert';
import * as https from 'https';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import type { TreeNode } from '../../../../src/vscode/tree/framework/node';
import { test } from '../harness';
import { activeExtension, EXTENSION_ID, waitFor } from '../helpers';

const PROVIDER = 'microsoft-sovereign-cloud';
const SCOPES = ['https://management.core.windows.net/.default'];
const WS_ID =
  '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/local-rg/providers/Microsoft.MachineLearningServices/workspaces/local-ws';

async function token(): Promise<string> {
  if (!(await vscode.authentication.getSession(PROVIDER, SCOPES, { silent: true }))) {
    await vscode.authentication.getSession(PROVIDER, SCOPES);
    await vscode.commands.executeCommand(`${PROVIDER}:${EXTENSION_ID}:signIn0`);
  }
  const session = await waitFor(async () => vscode.authentication.getSession(PROVIDER, SCOPES, { silent: true }), 20_000, 'the sign-in');
  return session.accessToken;
}

/** One ARM call to the fake, the way another tool would make it (its CA is trusted through NODE_EXTRA_CA_CERTS). */
function arm(method: string, url: string, bearer: string, body?: unknown): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const find = (rows: TreeNode[], label: string | RegExp) => {
  const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
  assert.ok(n, `no row ${label} in ${JSON.stringify(rows.map((r) => r.view().label))}`);
  return n;
};

test(
  'a job submitted and canceled elsewhere changes status in its Jobs row while the view shows',
  async () => {
    const ext = await activeExtension();
    const bearer = await token();
    const base = vscode.workspace
      .getConfiguration('microsoft-sovereign-cloud')
      .get<{ resourceManagerEndpointUrl: string }>('customEnvironment')?.resourceManagerEndpointUrl;
    assert.ok(base, 'the test bed sets the custom environment');
    const config = vscode.workspace.getConfiguration('parallelRun');
    await config.update('azure.jobStatusPollSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('parallelRun.azure.focus');
      const name = `live_status_${Date.now()}`;
      const put = await arm('PUT', `${base}${WS_ID}/jobs/${name}?api-version=2022-10-01`, bearer, {
        properties: { jobType: 'Command', displayName: name, experimentName: 'elsewhere' },
      });
      assert.strictEqual(put.status, 201);

      const model = (ext.exports as ExtensionApi).azureTree!();
      const sub = find(await model.children(), 'Local test subscription');
      const ws = find(await model.children(sub), /^local-ws/);
      const jobs = find(await model.children(ws), 'Jobs');
      model.refresh(jobs);
      const status = async () =>
        find(await model.children(jobs), name)
          .view()
          .description?.split(' ')[0];
      assert.strictEqual(await status(), 'NotStarted');

      // Canceled elsewhere: CancelRequested at once, Canceled once the cancel operation has been followed.
      const cancel = await arm('POST', `${base}${WS_ID}/jobs/${name}/cancel?api-version=2022-10-01`, bearer);
      assert.strictEqual(cancel.status, 202);
      await waitFor(async () => (await status()) === 'CancelRequested', 15_000, `the row of ${name} to show CancelRequested`);
      for (let done = false; !done;) done = (await arm('GET', cancel.location!, bearer)).status === 200;
      await waitFor(async () => (await status()) === 'Canceled', 15_000, `the row of ${name} to show Canceled`);
    } finally {
      await config.update('azure.jobStatusPollSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  },
  { timeoutMs: 60_000 },
);
