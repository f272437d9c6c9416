import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armScope } from '../../../src/core/azure/client';

test('ARM tokens are asked for the cloud ARM lives in; custom endpoints use the public scope unless told', () => {
  assert.equal(armScope({ resourceManager: 'https://management.azure.com/' }), 'https://management.azure.com/.default');
  assert.equal(armScope({ resourceManager: 'https://management.chinacloudapi.cn' }), 'https://management.chinacloudapi.cn/.default');
  assert.equal(armScope({ resourceManager: 'https://management.usgovcloudapi.net' }), 'https://management.usgovcloudapi.net/.default');
  assert.equal(armScope({ resourceManager: 'https://127.0.0.1:4443' }), 'https://management.azure.com/.default');
  assert.equal(
    armScope({ resourceManager: 'https://127.0.0.1:4443', scope: 'https://management.core.windows.net//.default' }),
    'https://management.core.windows.net//.default',
  );
});
