/** Jobs for the benchmarks, built directly (the spec reader has its own tests). */
import * as path from 'node:path';
import type { ParallelJob } from '../src/core/spec/types';

export function benchJob(dir: string, input: ParallelJob['inputData'], over: Partial<ParallelJob> = {}): ParallelJob {
  const codeDir = path.join(dir, 'src');
  return {
    specFile: path.join(dir, 'pipeline.yml'),
    nodeName: 'bench',
    location: { file: path.join(dir, 'pipeline.yml'), line: 1, column: 1, endLine: 1, endColumn: 1 },
    inputData: input,
    miniBatchSize: 1,
    miniBatchSizeText: '1',
    errorThreshold: -1,
    miniBatchErrorThreshold: -1,
    loggingLevel: 'INFO',
    instanceCount: 1,
    maxConcurrencyPerInstance: 1,
    retrySettings: { maxRetries: 2, timeout: 600 },
    task: { codeDir, entryScript: 'score.py', entryScriptPath: path.join(codeDir, 'score.py'), programArguments: [], appendRowTo: 'results' },
    driver: {
      appendRowFileName: 'parallel_run_step.txt',
      allowedFailedPercent: 100,
      taskOverheadTimeout: 30,
      progressUpdateTimeout: -1,
      firstTaskCreationTimeout: 600,
      appendRowDataframeHeader: false,
      other: {},
    },
    userArguments: [],
    inputs: {},
    outputs: { results: { name: 'results', type: 'uri_folder' } },
    environmentVariables: {},
    ...over,
  };
}
