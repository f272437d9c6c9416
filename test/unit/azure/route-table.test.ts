// The fake serves the SDK's own routes: every route it names is an operation of @azure/arm-machinelearning
// 2.1.1 (read from the installed package's operation specs), classified under the route name tests use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { routeOf } from '../../fakes/arm/server';

const ws =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}';
const expected: Array<[string, string, string]> = [
  ['GET', '/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/workspaces', 'workspaces.listBySubscription'],
  [
    'GET',
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces',
    'workspaces.listByResourceGroup',
  ],
  ['GET', ws, 'workspaces.get'],
  ['GET', '/subscriptions/{subscriptionId}/providers/Microsoft.MachineLearningServices/locations/{location}/vmSizes', 'vmSizes.list'],
  ['GET', `${ws}/computes`, 'computes.list'],
  ['GET', `${ws}/computes/{computeName}`, 'computes.get'],
  ['PUT', `${ws}/computes/{computeName}`, 'computes.put'],
  ['PATCH', `${ws}/computes/{computeName}`, 'computes.patch'],
  ['DELETE', `${ws}/computes/{computeName}`, 'computes.delete'],
  ['GET', `${ws}/datastores`, 'datastores.list'],
  ['GET', `${ws}/datastores/{name}`, 'datastores.get'],
  ['PUT', `${ws}/datastores/{name}`, 'datastores.put'],
  ['POST', `${ws}/datastores/{name}/listSecrets`, 'datastores.listSecrets'],
  ...(['data', 'models', 'environments'] as const).flatMap((k): Array<[string, string, string]> => [
    ['GET', `${ws}/${k}`, `${k}.list`],
    ['GET', `${ws}/${k}/{name}`, `${k}.get`],
    ['GET', `${ws}/${k}/{name}/versions`, `${k}.versions.list`],
    ['GET', `${ws}/${k}/{name}/versions/{version}`, `${k}.versions.get`],
    ['PUT', `${ws}/${k}/{name}/versions/{version}`, `${k}.versions.put`],
  ]),
  ['GET', `${ws}/jobs`, 'jobs.list'],
  ['GET', `${ws}/jobs/{id}`, 'jobs.get'],
  ['PUT', `${ws}/jobs/{id}`, 'jobs.put'],
  ['POST', `${ws}/jobs/{id}/cancel`, 'jobs.cancel'],
];

function sdkOperations(): Set<string> {
  const file = require.resolve('@azure/arm-machinelearning');
  const text = readFileSync(file, 'utf8');
  const ops = new Set<string>();
  for (const m of text.matchAll(/path: "([^"]+)",\s*httpMethod: "([A-Z]+)"/g)) ops.add(`${m[2]} ${m[1]}`);
  return ops;
}

test('every route of the fake is an operation of the SDK, and the fake names it as the tests expect', () => {
  const ops = sdkOperations();
  assert.ok(ops.size > 100, `read ${ops.size} operation specs from the SDK`);
  for (const [method, template, route] of expected) {
    assert.ok(ops.has(`${method} ${template}`), `${method} ${template} is not an SDK operation`);
    const concrete = template.replace(/\{(\w+)\}/g, (_, k: string) => `${k.toLowerCase()}-1`);
    assert.equal(routeOf(method, concrete), route, `${method} ${concrete}`);
  }
});
