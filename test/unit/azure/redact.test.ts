import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/core/azure/http/redact';
import { unsignedJwt } from '../../fakes/arm/token';

test('removes bearer tokens and bare JWTs, signed or unsigned', () => {
  const jwt = unsignedJwt({ aud: 'https://management.azure.com', tenantId: 't' });
  const signed = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  const out = redactSecrets(`Authorization: Bearer ${signed} and token ${jwt} end`);
  assert.ok(!out.includes(signed) && !out.includes(jwt), out);
  assert.match(out, /Bearer <redacted>/);
  assert.match(out, /end$/);
});

test('keeps a SAS URL readable but drops its signature', () => {
  const url = 'https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2026-01-01&sr=b&sp=r&sig=AbC%2Bdef%3D';
  const out = redactSecrets(`could not read ${url}`);
  assert.ok(!out.includes('AbC%2Bdef%3D'), out);
  assert.match(out, /sv=2022-11-02&se=2026-01-01&sr=b&sp=r&sig=<redacted>/);
});

test('removes account keys from connection strings and key fields of JSON bodies', () => {
  const out = redactSecrets(
    'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5==;EndpointSuffix=core.windows.net ' +
      '{"secretsType":"AccountKey","key":"c2VjcmV0a2V5"} {"sasToken": "sv=1&sig=x"}',
  );
  assert.ok(!out.includes('c2VjcmV0a2V5'), out);
  assert.ok(!out.includes('sig=x'), out);
  assert.match(out, /AccountName=a;AccountKey=<redacted>;EndpointSuffix/);
  assert.match(out, /"secretsType":"AccountKey"/);
});

test('leaves ordinary messages alone', () => {
  const text = 'Compute cpu-cluster was not found (404 ResourceNotFound). Refresh and check the names.';
  assert.equal(redactSecrets(text), text);
});
