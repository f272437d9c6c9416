// Show Job Logs… in a real VS Code against the fake ARM (test/integration/run.mjs azure): the command takes a job
// row of the Azure ML view and the run panel's `{ ws, name, tenantId, step, file }`, reads run history (the
// pipeline's steps, each step's artifacts) and says what it found. The seeded jobs have steps but no log files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import { test } from '../harness';
import { control, jobsFolderRow, signedIn, testWs } from './bed';
import { activeExtension, watchPrompts, workspaceUri } from '../helpers';

const ws = testWs;

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
      const jobsFolder = await jobsFolderRow(model);
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
