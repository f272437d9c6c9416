/** The one ParallelJob builder of tests and benchmarks: the driver's defaults, overridable per case. */
import * as path from 'node:path';
import { defaultDriverArguments } from '../../src/core/spec/arguments';
import type { InputData, ParallelJob } from '../../src/core/spec/types';

export interface JobShape {
  /** Folder of the (imaginary) spec file; the run folder and the code folder default to it. */
  dir: string;
  inputData: InputData;
  codeDir?: string;
}

export function makeParallelJob(shape: JobShape, over: Partial<ParallelJob> = {}): ParallelJob {
  const specFile = path.join(shape.dir, 'pipeline.yml');
  const codeDir = shape.codeDir ?? shape.dir;
  const base: ParallelJob = {
    specFile,
    nodeName: 'score',
    location: { file: specFile, line: 1, column: 1, endLine: 1, endColumn: 1 },
    inputData: shape.inputData,
    miniBatchSize: 10,
    miniBatchSizeText: '10',
    errorThreshold: -1,
    miniBatchErrorThreshold: -1,
    loggingLevel: 'INFO',
    instanceCount: 1,
    maxConcurrencyPerInstance: 1,
    retrySettings: { maxRetries: 2, timeout: 60 },
    task: { codeDir, entryScript: 'score.py', entryScriptPath: path.join(codeDir, 'score.py'), programArguments: [] },
    driver: defaultDriverArguments(),
    userArguments: [],
    inputs: {},
    outputs: {},
    environmentVariables: {},
  };
  return { ...base, ...over, task: { ...base.task, ...(over.task ?? {}) }, driver: { ...base.driver, ...(over.driver ?? {}) } };
}
