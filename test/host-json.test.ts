/**
 * host.json is what the Azure Functions host reads: it must validate against the `version-2`
 * definition of the host.json JSON Schema editors use (../shared/reference/schemas; its SOURCE.md
 * explains why `version-2` directly rather than the root's oneOf), and carry the settings Durable
 * and Event Grid need in Azure.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkSchema } from './_helpers/json-schema/check';
import { repoRoot } from './_helpers/schedule/paths';

type Json = Record<string, unknown>;
const schema = JSON.parse(readFileSync(path.join(repoRoot, '..', 'shared', 'reference', 'schemas', 'functions-host.schema.json'), 'utf8')) as Json;
const version2 = (schema.definitions as Record<string, Json>)['version-2']!;
const hostJson = JSON.parse(readFileSync(path.join(repoRoot, 'host.json'), 'utf8')) as Json;

test('host.json validates against the version-2 definition of the host.json schema', () => {
  assert.deepEqual(checkSchema(schema, hostJson, version2), []);
});

test('the check is real: a misspelt setting and a wrong type are refused', () => {
  const extensions = hostJson.extensions as Json;
  const misspelt = { ...hostJson, extensions: { ...extensions, durableTask: { ...(extensions.durableTask as Json), hubname: 'x' } } };
  assert.ok(checkSchema(schema, misspelt, version2).some((e) => e.includes('unknown property hubname')));
  assert.ok(checkSchema(schema, { ...hostJson, functionTimeout: 10 }, version2).length > 0);
});

test('the extension bundle Durable and Event Grid need in Azure, and the task hub from an app setting', () => {
  assert.equal(hostJson.version, '2.0');
  assert.deepEqual(hostJson.extensionBundle, { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
  const durable = (hostJson.extensions as Json).durableTask as Json;
  assert.equal(durable.hubName, '%AMLSCHED_TASK_HUB%');
});
