// The fake cloud runs what was submitted: the digits sample submitted through submitSpec runs with the local engine
// on the code and data in Azurite, and its logs, progress and outputs land where the cloud puts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { submitSpec } from '../../src/core/azure/submit/submit';
import { BLOBSTORE, digitsCopy, useFakeCloud } from './cloud-bed';

const bed = useFakeCloud();

async function blobNames(container: string, prefix: string): Promise<string[]> {
  const c = await bed.azurite.container(container, false);
  const out: string[] = [];
  for await (const b of c.listBlobsFlat({ prefix })) out.push(b.name);
  return out.sort();
}

test('a submitted digits job runs with the local engine: statuses, step run, logs as artifacts, outputs in the datastore', async () => {
  const dir = digitsCopy();
  const r = await submitSpec(path.join(dir, 'pipeline.yml'), {
    ml: bed.ml,
    ws: bed.ws,
    credential: bed.credential,
    blob: { blobEndpoint: bed.azurite.blobEndpoint },
    jobName: 'digits_cloud_1',
  });
  assert.equal(r.job.status, 'NotStarted');
  assert.equal(await bed.fake.jobDone('digits_cloud_1'), 'Completed');
  assert.deepEqual(bed.runner.statusesOf('digits_cloud_1'), ['NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing', 'Completed']);
  const step = bed.runner.stepRunId('digits_cloud_1', 'digit_identification')!;
  const logs = await blobNames('azureml', `ExperimentRun/dcid.${step}/`);
  console.log(logs.join('\n'));
  const outputs = await blobNames(BLOBSTORE, 'azureml/digits_cloud_1/');
  console.log(outputs);
});
