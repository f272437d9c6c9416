// Credentials for the CLI: the environment's service principal, then the Azure CLI's sign-in, then a managed
// identity, in that order. Never DefaultAzureCredential's whole chain (it probes more than these).
import type { TokenCredential } from '@azure/core-auth';
import { AzureCliCredential, ChainedTokenCredential, EnvironmentCredential, ManagedIdentityCredential } from '@azure/identity';

export function cliCredential(tenantId?: string): TokenCredential {
  const env = process.env;
  const chain: TokenCredential[] = [];
  if (env.AZURE_CLIENT_ID && env.AZURE_TENANT_ID && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH))
    chain.push(new EnvironmentCredential());
  chain.push(new AzureCliCredential(tenantId ? { tenantId } : {}));
  // Only where a managed identity can exist (Azure VMs, App Service, Azure ML compute): it answers on these variables.
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT || env.PARALLEL_RUN_MANAGED_IDENTITY)
    chain.push(new ManagedIdentityCredential(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {}));
  return new ChainedTokenCredential(...chain);
}
