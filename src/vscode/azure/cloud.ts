/**
 * Which Microsoft sign-in and which ARM, from VS Code's own settings (as @microsoft/vscode-azext-azureauth reads
 * them): `microsoft-sovereign-cloud.environment` set means the sovereign-cloud provider and its ARM; `custom`
 * reads `microsoft-sovereign-cloud.customEnvironment.resourceManagerEndpointUrl` (a private cloud, or the
 * local fake ARM), whose tokens are asked for `https://management.core.windows.net/.default` as the auth
 * library does. Plain logic over a settings reader, so it is tested without VS Code.
 */
import type { ArmEndpoint } from '../../core/azure/client';

export interface Cloud {
  /** The authentication provider id: `microsoft` or `microsoft-sovereign-cloud`. */
  providerId: string;
  endpoint: ArmEndpoint;
  /** The portal/studio cloud's name, for messages. */
  name: string;
}

const sovereign: Record<string, { name: string; resourceManager: string }> = {
  ChinaCloud: { name: 'Azure China', resourceManager: 'https://management.chinacloudapi.cn' },
  USGovernment: { name: 'Azure US Government', resourceManager: 'https://management.usgovcloudapi.net' },
};

export function cloudFromSettings(get: (section: string, key: string) => unknown): Cloud {
  const env = get('microsoft-sovereign-cloud', 'environment');
  if (typeof env !== 'string' || env === '')
    return {
      providerId: 'microsoft',
      name: 'Azure',
      endpoint: { resourceManager: 'https://management.azure.com', scope: 'https://management.azure.com/.default' },
    };
  if (env === 'custom') {
    const custom = (get('microsoft-sovereign-cloud', 'customEnvironment') ?? {}) as { resourceManagerEndpointUrl?: string; name?: string };
    const url = custom.resourceManagerEndpointUrl;
    if (!url)
      throw new Error(
        'Setting "microsoft-sovereign-cloud.environment" is "custom" but "microsoft-sovereign-cloud.customEnvironment" has no "resourceManagerEndpointUrl". Add it, e.g. "microsoft-sovereign-cloud.customEnvironment": { "resourceManagerEndpointUrl": "https://management.example.com" }, or remove the environment setting to use public Azure.',
      );
    return {
      providerId: 'microsoft-sovereign-cloud',
      name: custom.name ?? 'Custom cloud',
      endpoint: { resourceManager: url.replace(/\/+$/, ''), scope: 'https://management.core.windows.net/.default' },
    };
  }
  const known = sovereign[env];
  if (!known)
    throw new Error(
      `Setting "microsoft-sovereign-cloud.environment" is "${env}": expected "ChinaCloud", "USGovernment" or "custom". Fix the setting, or remove it to use public Azure.`,
    );
  return {
    providerId: 'microsoft-sovereign-cloud',
    name: known.name,
    endpoint: { resourceManager: known.resourceManager, scope: `${known.resourceManager}/.default` },
  };
}

/** The token expiry a JWT carries (`exp`), so the SDK's bearer policy refreshes in time; else one minute. */
export function tokenExpiry(token: string, now = Date.now()): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // not a JWT: fall through
  }
  return now + 60_000;
}
