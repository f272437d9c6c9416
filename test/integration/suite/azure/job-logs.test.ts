// Show Job Logs… in a real VS Code against the fake ARM (test/integration/run.mjs azure): the command takes a job
// row of the Azure ML view and the run panel's `{ ws, name, tenantId, step, file }`, reads run history (the
// pipeline's steps, each step's artifacts) and says what it found. The seeded jobs have steps but no log files.
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
  const ready = process.env.FAKE_AUTH_READY_FILE;
  if (ready) await waitFor(() => fs.existsSync(ready), 60_000, `the test-only sign-in provider (${ready})`);
  const scopes = ['https://management.core.windows.net/.default'];
  if (await vscode.authentication.getSession(PROVIDER, scopes, { silent: true })) return;
  await vscode.authentication.getSession(PROVIDER, scopes);
  const signInCommand = `${PROVIDER}:${EXTENSION_ID}:signIn0`;
  await waitFor(async () => (await vscode.commands.getCommands(true)).includes(signInCommand), 20_000, `the command ${signInCommand}`);
  await vscode.commands.executeCommand(signInCommand);
  await waitFor(async () => vscode.authentication.getSession(PROVIDER, scopes, { silent: true }), 20_000, 'the sign-in');
}

test(
  "Show Job Logs… with the run panel's argument and on a job row: run history is read, a missing file and an empty job are said",
  async () => {
    const ext = await activeExtension();
    await signedIn();
    await control('/reset-counts');
    const prompts = watchPrompts();
    try {
      await vscode.commands.executeCommand('parallelRun.azure.showJobLogs', {
        ws,
        name: 'job-00000',
        step: 'batch_inference_node',
        file: 'logs/job_result.txt',
      });
      const calls = JSON.parse(await control('/calls')) as Record<string, number>;
      assert.ok(calls['history.children'] >= 1 && calls['artifact.contentinfo'] >= 2, JSON.stringify(calls));
      assert.deepStrictEqual(
        prompts.messages.map((m) => [m.kind, m.text]),
        [
          [
            'error',
            'No log file logs/job_result.txt in step batch_inference_node of job job-00000. List the files with: parallel-run logs job-00000 --step batch_inference_node',
          ],
        ],
      );

      const model = (ext.exports as ExtensionApi).azureTree!();
      const find = async (parent: TreeNode | undefined, label: string | RegExp) => {
        const rows = await model.children(parent);
        const n = rows.find((r) => (typeof label === 'string' ? r.view().label === label : label.test(r.view().label)));
        assert.ok(n, `no row ${label} in ${JSON.stringify(rows.map((r) => r.view().label))}`);
        return n;
      };
      const jobsFolder = await find(await find(await find(undefined, 'Local test subscription'), /^local-ws/), 'Jobs');
      // The first job row (earlier tests may have seeded more jobs, newest first): its files, none, say so.
      const row = (await model.children(jobsFolder)).find((r) => /\/job-\d{5}$/.test(r.id));
      assert.ok(row, 'a seeded job is in the Jobs folder');
      const name = row.id.split('/').pop()!;
      await vscode.commands.executeCommand('parallelRun.azure.showJobLogs', row);
      assert.deepStrictEqual(prompts.prompts, [], 'no quick pick for a job without files');
      assert.match(prompts.messages[1]?.text ?? '', new RegExp(`^Job ${name} has no log files yet \\(the job is (Completed|Failed)\\)`));

      // Its step's row (run history's child): the same, for that step only.
      const step = (await model.children(row))[0];
      assert.ok(step, `${name} has a step row`);
      await vscode.commands.executeCommand('parallelRun.azure.showJobLogs', step);
      assert.match(prompts.messages[2]?.text ?? '', new RegExp(`^Step batch_inference_node of job ${name} has no log files yet`));
    } finally {
      prompts.restore();
    }
  },
  { timeoutMs: 60_000 },
);

test("Show Job Logs… from the palette asks for a job name of the folder's workspace (config.json) and reads that job", async () => {
  await signedIn();
  fs.writeFileSync(
    workspaceUri('config.json').fsPath,
    JSON.stringify({ subscription_id: ws.subscriptionId, resource_group: ws.resourceGroup, workspace_name: ws.workspace }),
  );
  const prompts = watchPrompts({ input: 'job-00001' });
  try {
    await vscode.commands.executeCommand('parallelRun.azure.showJobLogs');
    assert.deepStrictEqual(prompts.prompts, [
      'input box: The name of a job of workspace local-ws (its run id, as the Jobs folder and studio show it)',
    ]);
    assert.match(prompts.messages[0]?.text ?? '', /^Job job-00001 has no log files yet \(the job is (Completed|Failed)\)/);
  } finally {
    prompts.restore();
  }
});
