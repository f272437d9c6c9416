// The fake cloud for end-to-end job tests: fake ARM (running each submitted job with the local engine) and Azurite
// with the fake datastores' account, the real SDK clients pointed at them, and a copy of a sample to submit.
import { after, before } from 'node:test';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Azurite } from '../fakes/azurite';
import type { JobRunner } from '../fakes/arm/runner';
import { useFakeArm, type Bed } from '../unit/azure/fake-arm';

export const STORAGE_ACCOUNT = { name: 'localtestsa', key: 'ZmFrZS1hY2NvdW50LWtleQ==' };
export const BLOBSTORE = 'azureml-blobstore-00000000-test';
export const DIGITS = path.resolve(__dirname, '..', '..', '..', 'samples', 'digits');

export interface CloudBed extends Bed {
  azurite: Azurite;
  runner: JobRunner;
}

/** One fake cloud per test file. */
export function useFakeCloud(): CloudBed {
  const bed = useFakeArm() as CloudBed;
  const azurite = new Azurite(STORAGE_ACCOUNT);
  bed.azurite = azurite;
  before(async () => {
    await azurite.start();
    await azurite.container(BLOBSTORE);
    await azurite.container('azureml');
    bed.runner = bed.fake.runJobs({ blobEndpoint: azurite.blobEndpoint, account: STORAGE_ACCOUNT });
  });
  after(() => azurite.stop());
  return bed;
}

/** A copy of the digits sample (its data made by make_data.py) to submit and change. */
export function digitsCopy(): string {
  if (!existsSync(path.join(DIGITS, 'data', 'images'))) throw new Error('digits sample data missing: run samples/digits/make_data.py');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prs-cloud-digits-'));
  cpSync(DIGITS, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.parallel-run`) });
  return dir;
}
