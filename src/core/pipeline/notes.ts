/** The run's notes: what a local run did differently from the cloud, one sentence each. */
import type { CommandJob, ParallelJob, PipelineSpec } from '../spec/types';
import type { NodeRunSummary } from './types';

/** One line per node about the fields a local run does not apply. */
export function cloudNotes(spec: PipelineSpec, selected: string[]): string[] {
  const notes: string[] = [];
  for (const name of selected) {
    const command = spec.commandNodes?.find((c) => c.nodeName === name);
    const parallel = spec.parallelNodes.find((p) => p.nodeName === name);
    const fields = command
      ? command.cloudOnly
      : [
          parallel?.compute ? `compute ${parallel.compute}` : '',
          parallel?.task.environment ? `environment ${parallel.task.environment}` : '',
          ...Object.values(parallel?.inputs ?? {}).flatMap((i) => (i.mode ? [`input mode ${i.mode}`] : [])),
          ...Object.values(parallel?.outputs ?? {}).flatMap((o) => (o.mode ? [`output mode ${o.mode}`] : [])),
        ].filter(Boolean);
    const unique = [...new Set(fields)];
    if (unique.length)
      notes.push(
        `\`${name}\`: cloud-only fields not applied locally: ${unique.join('; ')} (it ran here with ${command ? 'bash and the local Python' : 'local worker processes'} on local folders).`,
      );
  }
  return notes;
}

/** Outputs the YAML sends somewhere this run could not write: say where the local run wrote them instead. */
export function outputNotes(spec: PipelineSpec, results: Map<string, NodeRunSummary>): string[] {
  const notes: string[] = [];
  const jobs: (ParallelJob | CommandJob)[] = [...spec.parallelNodes, ...(spec.commandNodes ?? [])];
  for (const job of jobs) {
    const result = results.get(job.nodeName);
    if (!result || result.status === 'Skipped' || result.status === 'Reused') continue;
    for (const [name, output] of Object.entries(job.outputs)) {
      if (!output.path || !result.outputs[name]) continue;
      notes.push(`\`${job.nodeName}\` output \`${name}\` goes to ${output.path} in the cloud; this run wrote ${result.outputs[name]}.`);
    }
  }
  return notes;
}
