/**
 * Debug locally and "Debug this mini-batch", end to end: a breakpoint in the sample's run(), the command starts one
 * worker under debugpy, VS Code attaches (type `debugpy`), the worker stops there, and the test reads the frame and
 * evaluates `mini_batch` through the Debug Adapter Protocol before letting the run finish.
 *
 * The real Python Debugger extension (ms-python.debugpy) cannot be installed offline; test/integration/run.mjs
 * installs a stand-in with that id (test/integration/fixtures/debugpy-standin) whose adapter is debugpy's own DAP
 * server. The worker's debugpy is the interpreter's (python3-debugpy).
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { note, skip, test } from './harness';
import { activeExtension, sleep, Summary, watchPrompts, within, workspaceDir, workspaceUri } from './helpers';

/** Waits: for the stop at the breakpoint, and for the run to end once continued. */
const STOP_MS = 30_000;
const END_MS = 30_000;

const DEBUGPY_EXTENSION_ID = 'ms-python.debugpy';

/** summary.json, with the mini-batch records the replay test compares. */
interface RunSummaryJson extends Summary {
  miniBatches: { index: number; status: string; data: { kind: string; files?: string[] } }[];
}

/** What the tests read of DAP's `stopped` event and `stackTrace` reply. */
interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  reason: string;
}
interface StackFrame {
  id: number;
  name: string;
  line: number;
  source?: { path?: string; name?: string };
}

/** The sample's entry script and the 0-based line of the first statement inside run(). */
function breakpointInRun(): { uri: vscode.Uri; line: number; text: string } {
  const uri = workspaceUri('src', 'digit_identification.py');
  const lines = fs.readFileSync(uri.fsPath, 'utf8').split('\n');
  const def = lines.findIndex((l) => /^def run\(/.test(l));
  assert.ok(def >= 0, `no "def run(" in ${uri.fsPath}`);
  const line = lines.findIndex((l, i) => i > def && l.trim() !== '' && !l.trim().startsWith('#'));
  return { uri, line, text: lines[line].trim() };
}

/** Preconditions the machine, not the extension, must meet: skip (with the fix) when it does not. */
function requireDebugpy(): void {
  assert.ok(
    vscode.extensions.getExtension(DEBUGPY_EXTENSION_ID),
    `${DEBUGPY_EXTENSION_ID} is not loaded: test/integration/run.mjs installs the stand-in from test/integration/fixtures/debugpy-standin`,
  );
  const probe = spawnSync('python3', ['-c', 'import debugpy'], { encoding: 'utf8' });
  if (probe.status !== 0)
    skip(
      `python3 has no debugpy (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}): apt-get install python3-debugpy, as scripts/setup.sh does`,
    );
}

/**
 * Starts a debug command with one breakpoint set and watches the `debugpy` sessions it starts (a DAP tracker
 * sees debugpy's `stopped` events and `setBreakpoints` replies). `stopped()` resolves at the first stop, or
 * rejects after STOP_MS, or when the command ends first, with what was seen. `end()` cleans up: breakpoints
 * removed, sessions stopped, prompts restored, a short wait for the command.
 */
function debugWithBreakpoint(bp: { uri: vscode.Uri; line: number }, start: () => Thenable<unknown>) {
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(bp.uri, new vscode.Position(bp.line, 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  const prompts = watchPrompts();
  const stops: Stop[] = [];
  const sessions: vscode.DebugSession[] = [];
  const terminated = new Set<string>();
  const breakpointReplies: string[] = [];
  const output: string[] = [];
  const subscriptions = [
    vscode.debug.registerDebugAdapterTrackerFactory('debugpy', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: any) => {
          if (m?.type === 'event' && m.event === 'stopped') stops.push({ session, threadId: m.body?.threadId, reason: m.body?.reason });
          else if (m?.type === 'event' && m.event === 'output' && m.body?.category !== 'telemetry')
            output.push(String(m.body?.output ?? '').trimEnd());
          else if (m?.type === 'response' && m.command === 'setBreakpoints') {
            breakpointReplies.push(
              JSON.stringify((m.body?.breakpoints ?? []).map((b: any) => ({ verified: b.verified, line: b.line, message: b.message }))),
            );
          }
        },
      }),
    }),
    vscode.debug.onDidStartDebugSession((s) => sessions.push(s)),
    vscode.debug.onDidTerminateDebugSession((s) => terminated.add(s.id)),
  ];
  let outcome: { summary?: RunSummaryJson; error?: unknown } | undefined;
  const done = Promise.resolve(start()).then(
    (summary) => (outcome = { summary: summary as RunSummaryJson | undefined }),
    (error) => (outcome = { error }),
  );
  const seen = (): string =>
    [
      `debug sessions: ${JSON.stringify(sessions.map((s) => `${s.name} (${s.type})`))}`,
      `setBreakpoints replies: ${breakpointReplies.join(' ') || 'none'}`,
      `command: ${outcome === undefined ? 'still running' : outcome.error ? `threw ${outcome.error}` : `resolved ${outcome.summary ? `${outcome.summary.status}${outcome.summary.reason ? ` (${outcome.summary.reason})` : ''}` : 'undefined'}`}`,
      `shown: ${JSON.stringify(prompts.messages)}`,
      `debuggee output: ${JSON.stringify(output.slice(-5))}`,
    ].join('; ');

  return {
    sessions,
    terminated,
    seen,
    async stopped(where: string): Promise<Stop> {
      const deadline = Date.now() + STOP_MS;
      while (stops.length === 0 && outcome === undefined && Date.now() < deadline) await sleep(100);
      if (stops.length) return stops[0];
      throw new Error(
        `${outcome === undefined ? `no stop at ${where} within ${STOP_MS / 1000} s` : `the command ended without stopping at ${where}`}; ${seen()}`,
      );
    },
    /** The command's summary, once the run ends (after the test continued). */
    async summary(): Promise<RunSummaryJson> {
      await within(done, END_MS, `the run did not end within ${END_MS / 1000} s after continuing; ${seen()}`);
      assert.ok(outcome && !outcome.error, `the command threw: ${outcome?.error}`);
      assert.ok(outcome.summary, `the command resolved without a summary; ${seen()}`);
      return outcome.summary;
    },
    async end(): Promise<void> {
      vscode.debug.removeBreakpoints([breakpoint]);
      for (const s of sessions) if (!terminated.has(s.id)) await vscode.debug.stopDebugging(s);
      // A stopped session that was detached lets the worker run on; let the run end before the next test.
      if (outcome === undefined) await Promise.race([done, sleep(10_000)]);
      for (const d of subscriptions) d.dispose();
      prompts.restore();
    },
  };
}

/** The top frame where the debuggee stopped. */
async function topFrame(stop: Stop): Promise<StackFrame> {
  const reply = await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 });
  const frame = reply?.stackFrames?.[0] as StackFrame | undefined;
  assert.ok(frame, `stackTrace gave no frame: ${JSON.stringify(reply)}`);
  return frame;
}

async function evaluate(stop: Stop, frame: StackFrame, expression: string): Promise<string> {
  const reply = await stop.session.customRequest('evaluate', { expression, frameId: frame.id, context: 'repl' });
  return String(reply?.result);
}

/**
 * A frame's source as a file path. Replies to customRequest come through the workbench, which in a remote window
 * (code-server) has turned DAP paths into URIs: `vscode-remote://127.0.0.1:<port>/work/…/digit_identification.py`.
 */
function fileOf(frame: StackFrame): string {
  const p = frame.source?.path ?? '';
  return /^[a-z][\w+.-]+:\/\//i.test(p) ? vscode.Uri.parse(p).fsPath : p;
}

/** Asserts the stop is the breakpoint in run(): reason, file and (1-based) line. */
async function assertAtBreakpoint(stop: Stop, bp: { uri: vscode.Uri; line: number }): Promise<StackFrame> {
  assert.strictEqual(stop.reason, 'breakpoint', `stopped for "${stop.reason}", not at the breakpoint`);
  const frame = await topFrame(stop);
  const at = `${frame.source?.path}:${frame.line} (${frame.name})`;
  assert.ok(frame.source?.path?.endsWith('digit_identification.py'), `stopped in ${at}, not in digit_identification.py`);
  assert.strictEqual(fileOf(frame), bp.uri.fsPath, `stopped in ${at}, not in the workspace's entry script`);
  assert.strictEqual(frame.line, bp.line + 1, `stopped at ${at}, not at the breakpoint's line ${bp.line + 1}`);
  assert.strictEqual(frame.name, 'run', `stopped in ${frame.name}, not in run()`);
  return frame;
}

/** Python's repr of a list of plain strings (file names) → the strings. */
function stringsOf(repr: string): string[] {
  assert.match(repr, /^\[.*\]$/s, `not a list: ${repr}`);
  return Array.from(repr.matchAll(/'([^']*)'|"([^"]*)"/g), (m) => m[1] ?? m[2]);
}

test(
  'debugLocally stops at a breakpoint in run() with the first mini-batch, then completes',
  async () => {
    requireDebugpy();
    await activeExtension();
    const bp = breakpointInRun();
    const debug = debugWithBreakpoint(bp, () =>
      vscode.commands.executeCommand('parallelRun.debugLocally', workspaceUri('pipeline.yml'), {
        sample: { miniBatches: 1 },
        reveal: false,
      }),
    );
    try {
      const started = Date.now();
      const stop = await debug.stopped(`${path.basename(bp.uri.fsPath)}:${bp.line + 1} (${bp.text})`);
      const stoppedAfter = Date.now() - started;
      const frame = await assertAtBreakpoint(stop, bp);
      const size = await evaluate(stop, frame, 'len(mini_batch)');
      assert.strictEqual(size, '5', `len(mini_batch) is ${size}: the sample's mini_batch_size is 5 files`);
      const names = stringsOf(await evaluate(stop, frame, '[os.path.basename(p) for p in mini_batch]'));
      assert.strictEqual(names.length, 5);
      assert.ok(
        names.every((n) => n.endsWith('.png')),
        `not the sample's images: ${names.join(', ')}`,
      );
      note(
        `session "${stop.session.name}" stopped after ${stoppedAfter} ms in ${frame.name}() at ${frame.source!.path}:${frame.line}; len(mini_batch) = ${size}; ${names.join(', ')}`,
      );

      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const summary = await debug.summary();
      assert.strictEqual(summary.status, 'Completed', `status ${summary.status}: ${summary.reason ?? ''}`);
      assert.strictEqual(summary.counts.miniBatches.total, 1, 'sample.miniBatches: 1 debugs one mini-batch');
      assert.strictEqual(summary.counts.miniBatches.succeeded, 1);
      assert.deepStrictEqual(
        summary.miniBatches[0].data.files?.map((f) => path.basename(f)),
        names,
        'the mini-batch run() got is the one summary.json records',
      );
      note(
        `then ${summary.status}: ${summary.counts.items.succeeded} items; session ended on its own: ${debug.terminated.has(stop.session.id)}`,
      );
    } finally {
      await debug.end();
    }
  },
  { timeoutMs: 90_000 },
);

test(
  'debugMiniBatch stops in run() with exactly the items of that mini-batch of an earlier run',
  async () => {
    requireDebugpy();
    await activeExtension();
    // An earlier run with two mini-batches: debugging the second shows the replay is not just "the first one".
    const earlier = await within(
      vscode.commands.executeCommand<Summary | undefined>('parallelRun.runLocally', workspaceUri('pipeline.yml'), {
        sample: { miniBatches: 2 },
        reveal: false,
      }),
      60_000,
      'parallelRun.runLocally (2 mini-batches) did not resolve within 60 s',
    );
    assert.ok(earlier && earlier.status === 'Completed', `the earlier run: ${earlier?.status} ${earlier?.reason ?? ''}`);
    const recorded = JSON.parse(fs.readFileSync(path.join(earlier.runDir, 'summary.json'), 'utf8')) as RunSummaryJson;
    const filesOf = (index: number): string[] => {
      const record = recorded.miniBatches.find((r) => r.index === index);
      assert.ok(record?.data.files, `summary.json has no files for mini-batch ${index}: ${JSON.stringify(record)}`);
      return record.data.files.map((f) => path.basename(f));
    };
    const index = 1;
    const expected = filesOf(index);
    assert.notDeepStrictEqual(expected, filesOf(0), 'mini-batches 0 and 1 hold the same files');

    const bp = breakpointInRun();
    const debug = debugWithBreakpoint(bp, () => vscode.commands.executeCommand('parallelRun.debugMiniBatch', earlier.runDir, index));
    try {
      const stop = await debug.stopped(`${path.basename(bp.uri.fsPath)}:${bp.line + 1} (${bp.text}) replaying mini-batch ${index}`);
      const frame = await assertAtBreakpoint(stop, bp);
      const names = stringsOf(await evaluate(stop, frame, '[os.path.basename(p) for p in mini_batch]'));
      assert.deepStrictEqual(names, expected, `run() got other items than mini-batch ${index} of ${path.basename(earlier.runDir)}`);
      note(
        `stopped in ${frame.name}() at ${path.relative(workspaceDir(), fileOf(frame))}:${frame.line} with mini-batch ${index}: ${names.join(', ')} (mini-batch 0 was ${filesOf(0).join(', ')})`,
      );

      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const summary = await debug.summary();
      assert.strictEqual(summary.status, 'Completed', `status ${summary.status}: ${summary.reason ?? ''}`);
      assert.deepStrictEqual(
        summary.miniBatches.map((r) => r.index),
        [index],
        'the replay runs that one mini-batch, with its index',
      );
      assert.notStrictEqual(summary.runDir, earlier.runDir, 'the replay is a run of its own');
      note(`replay ${summary.status} in ${path.basename(summary.runDir)}`);
    } finally {
      await debug.end();
    }
  },
  { timeoutMs: 120_000 },
);
