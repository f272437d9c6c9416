/** A command → parallel → command pipeline's events as runPipeline emits them, for the panel's tests. */
import type { NodeRunSummary, PipelineEvent, PipelineRunSummary } from '../../../src/core/pipeline/types';
import { counts, failure, summary } from './events';

export const RUN = '/w/.parallel-run/runs/digits-20260101-000000';
export const SPEC = '/w/pipeline.yml';
export const NODES = [
  { name: 'prepare', type: 'command' as const, needs: [] },
  { name: 'score', type: 'parallel' as const, needs: ['prepare'] },
  { name: 'summarize', type: 'command' as const, needs: ['score'] },
];

export const pipelineStart: PipelineEvent = { type: 'pipelineStart', runDir: RUN, specFile: SPEC, pipelineName: 'digits', nodes: NODES };

export function commandEnd(name: string, exitCode: number, over: Partial<NodeRunSummary> = {}): NodeRunSummary {
  return {
    name,
    type: 'command',
    status: exitCode === 0 ? 'Completed' : 'Failed',
    ...(exitCode === 0 ? {} : { reason: `The command exited with code ${exitCode}.` }),
    durationMs: 1200,
    runDir: `${RUN}/${name}`,
    outputs: { out: `${RUN}/${name}/outputs/out` },
    exitCode,
    logFile: `${RUN}/${name}/user_logs/std_log.txt`,
    ...over,
  };
}

export const scoreSummary = summary({
  runDir: `${RUN}/score`,
  logsDir: `${RUN}/score/logs`,
  outputFile: `${RUN}/score/outputs/results/parallel_run_step.txt`,
  nodeName: 'score',
});

export const scoreEnd: NodeRunSummary = {
  name: 'score',
  type: 'parallel',
  status: 'Completed',
  durationMs: 5000,
  runDir: `${RUN}/score`,
  outputs: { results: `${RUN}/score/outputs/results` },
  summaryFile: `${RUN}/score/summary.json`,
};

export const failedScore = summary({
  status: 'Failed',
  reason: 'There is no succeeded mini batch item returned from run().',
  runDir: `${RUN}/score`,
  logsDir: `${RUN}/score/logs`,
  nodeName: 'score',
  counts: counts(2, 2, 2),
  failures: [failure(0), failure(1)],
});

/** Events of a run whose steps end as given; a step after a failed one is skipped. */
export function pipelineRun(end: { prepare: number; score?: 'ok' | 'failed'; summarize?: number }): PipelineEvent[] {
  const events: PipelineEvent[] = [pipelineStart];
  const nodes: NodeRunSummary[] = [];
  events.push({ type: 'nodeStart', node: 'prepare', nodeType: 'command', runDir: `${RUN}/prepare`, command: 'python prep.py' });
  events.push({ type: 'nodeLog', node: 'prepare', stream: 'stdout', text: 'writing 10 files\n' });
  if (end.prepare !== 0) {
    events.push({
      type: 'nodeLog',
      node: 'prepare',
      stream: 'stderr',
      text:
        'Traceback (most recent call last):\n  File "/w/src/prep.py", line 14, in <module>\n    main()\n  File "/w/src/prep.py", line 9, in main\n    shutil.copy(a, b)\n' +
        '  File "/usr/lib/python3.11/shutil.py", line 419, in copy\n    copyfile(src, dst)\nFileNotFoundError: [Errno 2] No such file or directory: \'digits\'\n',
    });
  }
  const prepare = commandEnd('prepare', end.prepare);
  nodes.push(prepare);
  events.push({ type: 'nodeEnd', node: prepare });
  if (end.prepare === 0 && end.score) {
    events.push({ type: 'nodeStart', node: 'score', nodeType: 'parallel', runDir: `${RUN}/score` });
    events.push({
      type: 'nodeEvent',
      node: 'score',
      event: { type: 'start', runDir: `${RUN}/score`, nodeName: 'score', specFile: SPEC, workers: 2, counts: counts(0, 2) },
    });
    const run = end.score === 'ok' ? scoreSummary : failedScore;
    if (end.score === 'failed')
      for (const f of run.failures)
        events.push({ type: 'nodeEvent', node: 'score', event: { type: 'miniBatchFailed', failure: f, willRetry: false } });
    events.push({ type: 'nodeEvent', node: 'score', event: { type: 'end', summary: run } });
    const node = end.score === 'ok' ? scoreEnd : { ...scoreEnd, status: 'Failed' as const, reason: run.reason };
    nodes.push(node);
    events.push({ type: 'nodeEnd', node, parallelSummary: run });
  }
  if (end.summarize !== undefined) {
    events.push({ type: 'nodeStart', node: 'summarize', nodeType: 'command', runDir: `${RUN}/summarize` });
    events.push({ type: 'nodeLog', node: 'summarize', stream: 'stdout', text: '10 digits, 9 right\n' });
    const s = commandEnd('summarize', end.summarize);
    nodes.push(s);
    events.push({ type: 'nodeEnd', node: s });
  }
  for (const n of NODES) {
    if (nodes.some((d) => d.name === n.name)) continue;
    const skipped: NodeRunSummary = {
      name: n.name,
      type: n.type,
      status: 'Skipped',
      reason: 'Not run: step `prepare` failed.',
      runDir: `${RUN}/${n.name}`,
      outputs: {},
    };
    nodes.push(skipped);
    events.push({ type: 'nodeEnd', node: skipped });
  }
  const failed = nodes.find((n) => n.status === 'Failed');
  events.push({ type: 'pipelineEnd', summary: pipelineSummary(nodes, failed ? 'Failed' : 'Completed') });
  return events;
}

export function pipelineSummary(nodes: NodeRunSummary[], status: PipelineRunSummary['status']): PipelineRunSummary {
  return {
    kind: 'pipeline',
    status,
    ...(status === 'Failed' ? { reason: 'A step failed.' } : {}),
    specFile: SPEC,
    pipelineName: 'digits',
    runDir: RUN,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:09.000Z',
    durationMs: 9000,
    nodes,
    outputs: {},
    notes: ['Step `prepare`: compute, environment are cloud-only and were not applied locally.'],
  };
}
