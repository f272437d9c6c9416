// Submit from VS Code against the fake ARM and Azurite (test/integration/run.mjs azure): the palette command on the
// digits sample asks the compute (the spec's first) and shows the estimate screen, the job PUT the fake receives
// names that cluster and the uploaded data, the job opens in the run panel with its status, Cancel ends it Canceled,
// and its row in the Jobs tree follows.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../../src/extension';
import { test } from '../harness';
import { control, jobsFolderRow, signedIn, testWs } from './bed';
import { activeExtension, waitFor, watchPrompts, workspaceUri } from '../helpers';

const ws = testWs;

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
    // The title says the service's word while the job is on its way (this bed does not run it).
    assert.match(running.label, / · (NotStarted|Queued|Preparing|Running)( · |$)/);

    // The Jobs tree lists it; its row follows the job.
    const model = (ext.exports as ExtensionApi).azureTree!();
    const jobsFolder = await jobsFolderRow(model);
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
