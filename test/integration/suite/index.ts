/** extensionTestsPath for the trusted workspace: VS Code calls run() in the extension host. */
import { runTestFiles } from './harness';

export function run(): Promise<void> {
  return runTestFiles(__dirname);
}
