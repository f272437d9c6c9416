// The Azure clients, built from a credential and an endpoint: real ARM, a sovereign cloud, or the test fake.
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient } from '@azure/core-client';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { defaultRetrySettings, retryAfterCapPolicy, sdkRetryOptions, type RetrySettings } from './http/retry';

/** Where Azure Resource Manager is, and how to talk to it. */
export interface ArmEndpoint {
  /** `https://management.azure.com` in the public cloud; another URL for sovereign clouds or the fake. */
  resourceManager: string;
  /** Token scope; default `<resourceManager>/.default` for the public cloud's `https://management.azure.com/.default`. */
  scope?: string;
  /** Extra CA certificate (PEM) to trust, e.g. the fake's self-signed one. */
  ca?: string | Buffer;
  retry?: Partial<RetrySettings>;
}

export const publicCloud: ArmEndpoint = { resourceManager: 'https://management.azure.com' };

/** ARM hosts of the sovereign clouds, whose tokens are asked for their own resource. */
const cloudArmHosts = new Set(['management.azure.com', 'management.chinacloudapi.cn', 'management.usgovcloudapi.net']);

/**
 * The token scope for ARM: `<resourceManager>/.default` for the public and sovereign clouds; for any other
 * endpoint (a custom cloud, the local fake) the public one unless `scope` says otherwise.
 */
export function armScope(endpoint: ArmEndpoint): string {
  if (endpoint.scope) return endpoint.scope;
  const url = new URL(endpoint.resourceManager);
  return cloudArmHosts.has(url.host) ? `${url.origin}/.default` : 'https://management.azure.com/.default';
}

function options(endpoint: ArmEndpoint) {
  const retry = { ...defaultRetrySettings, ...endpoint.retry };
  return {
    retry,
    client: {
      endpoint: endpoint.resourceManager.replace(/\/+$/, ''),
      credentialScopes: [armScope(endpoint)],
      retryOptions: sdkRetryOptions(retry),
      tlsOptions: endpoint.ca ? { ca: endpoint.ca } : undefined,
      userAgentOptions: { userAgentPrefix: 'azure-ml-parallel-run' },
    },
  };
}

/** The Azure ML management client of one subscription (api-version 2022-10-01). */
export function mlClient(credential: TokenCredential, subscriptionId: string, endpoint: ArmEndpoint): AzureMachineLearningWorkspaces {
  const o = options(endpoint);
  const client = new AzureMachineLearningWorkspaces(credential, subscriptionId, o.client);
  // `$host` stays the public cloud even with `endpoint` set; calls built by hand (putJob) read it.
  client.$host = o.client.endpoint;
  client.pipeline.addPolicy(retryAfterCapPolicy(o.retry.maxRetryAfterSeconds), { afterPhase: 'Retry' });
  return client;
}

/** A plain ARM client (auth, TLS, retries) for calls the ML SDK does not cover: tenants, subscriptions, run history. */
export function armClient(credential: TokenCredential, endpoint: ArmEndpoint): ServiceClient {
  const o = options(endpoint);
  const client = new ServiceClient({ ...o.client, credential, baseUri: o.client.endpoint });
  client.pipeline.addPolicy(retryAfterCapPolicy(o.retry.maxRetryAfterSeconds), { afterPhase: 'Retry' });
  return client;
}
