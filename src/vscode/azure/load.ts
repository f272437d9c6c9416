/**
 * The Azure layer (dist/azure.js: ARM SDK, identity, storage), loaded the first time the Azure tree or an
 * Azure command needs it. esbuild.mjs leaves this require as `require('./azure.js')` in dist/extension.js;
 * under tsc (tests) it resolves to the compiled module.
 */
import type { AzureApi } from './access';

let loading: Promise<AzureApi> | undefined;

export function azureApi(): Promise<AzureApi> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild.mjs makes this a require of dist/azure.js, loaded on first use
  return (loading ??= new Promise<AzureApi>((resolve) => resolve(require('../../core/azure') as AzureApi)));
}
