/** In a workspace VS Code does not trust, nothing runs the workspace's code, and the user is told why. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { note, test } from '../harness';
import { runFolders, sleep, watchPrompts, within, workspaceDir, workspaceUri } from '../helpers';

test('the workspace is not trusted (precondition)', () => {
  assert.strictEqual(vscode.workspace.isTrusted, false, 'test/integration/run.mjs should open this folder untrusted');
});

test('runLocally refuses: resolves undefined, explains, and runs nothing', async () => {
  const watch = watchPrompts();
  let result: unknown;
  try {
    result = await within(
      vscode.commands.executeCommand('parallelRun.runLocally', workspaceUri('pipeline.yml'), { sample: { miniBatches: 1 }, reveal: false }),
      30_000,
      'parallelRun.runLocally did not return within 30 s in an untrusted workspace',
    );
    await sleep(200);
  } finally {
    watch.restore();
  }
  assert.strictEqual(result, undefined, `resolved ${JSON.stringify(result)?.slice(0, 300)}`);
  assert.ok(
    watch.messages.some((m) => /trust/i.test(m.text)),
    `no message about trust; shown: ${JSON.stringify(watch.messages)}`,
  );
  assert.deepStrictEqual(runFolders(workspaceDir()), [], 'a run folder was made');
  note(`shown: ${JSON.stringify(watch.messages)}`);
});

test('debugLocally refuses too: no debug session starts', async () => {
  const watch = watchPrompts();
  const sessions: vscode.DebugSession[] = [];
  const listener = vscode.debug.onDidStartDebugSession((s) => sessions.push(s));
  try {
    await within(
      vscode.commands.executeCommand('parallelRun.debugLocally', workspaceUri('pipeline.yml'), {
        sample: { miniBatches: 1 },
        reveal: false,
      }),
      30_000,
      'parallelRun.debugLocally did not return within 30 s in an untrusted workspace',
    );
    await sleep(1000);
  } finally {
    listener.dispose();
    watch.restore();
    for (const s of sessions) await vscode.debug.stopDebugging(s);
  }
  assert.deepStrictEqual(
    sessions.map((s) => s.name),
    [],
    'a debug session started',
  );
  assert.ok(
    watch.messages.some((m) => /trust/i.test(m.text)),
    `no message about trust; shown: ${JSON.stringify(watch.messages)}`,
  );
  assert.deepStrictEqual(runFolders(workspaceDir()), []);
});

test('Run Pipeline Locally refuses too: no step runs', async () => {
  const watch = watchPrompts();
  let result: unknown;
  try {
    result = await within(
      vscode.commands.executeCommand('parallelRun.runPipelineLocally', workspaceUri('pipeline.yml'), {
        sample: { miniBatches: 1 },
        reveal: false,
      }),
      30_000,
      'parallelRun.runPipelineLocally did not return within 30 s in an untrusted workspace',
    );
  } finally {
    watch.restore();
  }
  assert.strictEqual(result, undefined);
  assert.ok(
    watch.messages.some((m) => /trust/i.test(m.text)),
    `no message about trust; shown: ${JSON.stringify(watch.messages)}`,
  );
  assert.deepStrictEqual(runFolders(workspaceDir()), []);
});
