/** extensionTestsPath for a workspace VS Code does not trust (test/integration/run.mjs turns trust on for it). */
import { runTestFiles } from '../harness';

export function run(): Promise<void> {
  return runTestFiles(__dirname);
}
