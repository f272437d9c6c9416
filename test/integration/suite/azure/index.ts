/** extensionTestsPath for the Azure ML view against the fake ARM (test/integration/run.mjs scenario `azure`). */
import { runTestFiles } from '../harness';

export function run(): Promise<void> {
  return runTestFiles(__dirname);
}
