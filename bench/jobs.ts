/** Jobs for the benchmarks, built like the tests build theirs (the spec reader has its own tests). */
import * as path from 'node:path';
import type { ParallelJob } from '../src/core/spec/types';
import { makeParallelJob } from '../test/support/parallel-job';

export function benchJob(dir: string, input: ParallelJob['inputData'], over: Partial<ParallelJob> = {}): ParallelJob {
  return makeParallelJob(
    { dir, codeDir: path.join(dir, 'src'), inputData: input },
    {
      nodeName: 'bench',
      miniBatchSize: 1,
      miniBatchSizeText: '1',
      retrySettings: { maxRetries: 2, timeout: 600 },
      outputs: { results: { name: 'results', type: 'uri_folder' } },
      ...over,
      task: { appendRowTo: 'results', ...(over.task ?? {}) } as ParallelJob['task'],
    },
  );
}
