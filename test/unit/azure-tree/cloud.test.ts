// Which sign-in provider and which ARM the settings select, and the token expiry handed to the SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudFromSettings, tokenExpiry } from '../../../src/vscode/azure/cloud';
import { unsignedJwt } from '../../fakes/arm/token';

const settings = (values: Record<string, unknown>) => (section: string, key: string) => values[`${section}.${key}`];

test('no sovereign-cloud setting: the microsoft provider and public ARM', () => {
  const c = cloudFromSettings(settings({}));
  assert.equal(c.providerId, 'microsoft');
  assert.deepEqual(c.endpoint, { resourceManager: 'https://management.azure.com', scope: 'https://management.azure.com/.default' });
});

test('custom environment: the sovereign-cloud provider and its ARM URL (the fake ARM in tests)', () => {
  const c = cloudFromSettings(
    settings({
      'microsoft-sovereign-cloud.environment': 'custom',
      'microsoft-sovereign-cloud.customEnvironment': { name: 'Local fake', resourceManagerEndpointUrl: 'https://127.0.0.1:4443/' },
    }),
  );
  assert.equal(c.providerId, 'microsoft-sovereign-cloud');
  assert.equal(c.name, 'Local fake');
  assert.deepEqual(c.endpoint, { resourceManager: 'https://127.0.0.1:4443', scope: 'https://management.core.windows.net/.default' });
});

test('the named sovereign clouds use their own ARM and scope', () => {
  const c = cloudFromSettings(settings({ 'microsoft-sovereign-cloud.environment': 'ChinaCloud' }));
  assert.deepEqual(c.endpoint, {
    resourceManager: 'https://management.chinacloudapi.cn',
    scope: 'https://management.chinacloudapi.cn/.default',
  });
  assert.equal(
    cloudFromSettings(settings({ 'microsoft-sovereign-cloud.environment': 'USGovernment' })).endpoint.resourceManager,
    'https://management.usgovcloudapi.net',
  );
});

test('a bad setting says which setting and the fix to paste', () => {
  assert.throws(
    () => cloudFromSettings(settings({ 'microsoft-sovereign-cloud.environment': 'custom' })),
    /"microsoft-sovereign-cloud\.customEnvironment": \{ "resourceManagerEndpointUrl": "https:\/\/management\.example\.com" \}/,
  );
  assert.throws(
    () => cloudFromSettings(settings({ 'microsoft-sovereign-cloud.environment': 'Mars' })),
    /is "Mars": expected "ChinaCloud", "USGovernment" or "custom"/,
  );
});

test('token expiry comes from the JWT, else a minute from now', () => {
  const token = unsignedJwt({ aud: 'https://management.azure.com', tenantId: 't', lifetimeSeconds: 600 });
  const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
  assert.equal(tokenExpiry(token), exp * 1000);
  assert.equal(tokenExpiry('opaque-token', 1000), 61_000);
});
