/** Settings, credential choice and lazy client creation of the `azureml` drivers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { createAzureCredential, loopbackCredential } from '../../../shared/azure/credential';
import { createAzureMlServices } from '../../../shared/azure/services';
import { ARM_ENDPOINT, readAzureMlSettings } from '../../../shared/azure/settings';
import { FakeAml } from '../../_helpers/fake-aml/server';

const BASE = { AML_SUBSCRIPTION_ID: 'sub', AML_RESOURCE_GROUP: 'rg', AML_WORKSPACE: 'ws' };

test('a missing workspace setting stops start-up with one line naming it', () => {
  for (const missing of Object.keys(BASE)) {
    const env: NodeJS.ProcessEnv = { ...BASE, [missing]: ' ' };
    assert.throws(() => readAzureMlSettings(env), (err: Error & { code?: string; setting?: string }) => {
      assert.equal(err.code, 'invalid_setting');
      assert.equal(err.setting, missing);
      assert.match(err.message, new RegExp(`^${missing}: is required`));
      return true;
    });
  }
  assert.throws(() => createAzureMlServices({ env: {} }), { setting: 'AML_SUBSCRIPTION_ID' });
});

test('defaults to management.azure.com; AML_ENDPOINT must be a loopback URL', () => {
  assert.deepEqual(readAzureMlSettings(BASE), { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws', endpoint: ARM_ENDPOINT });
  assert.equal(readAzureMlSettings({ ...BASE, AML_ENDPOINT: 'http://127.0.0.1:4321/' }).endpoint, 'http://127.0.0.1:4321');
  assert.throws(() => readAzureMlSettings({ ...BASE, AML_ENDPOINT: 'https://evil.example.com' }), { setting: 'AML_ENDPOINT' });
  assert.throws(() => readAzureMlSettings({ ...BASE, AML_ENDPOINT: 'not a url' }), { setting: 'AML_ENDPOINT' });
});

test('credential: managed identity with a client id, DefaultAzureCredential without, never a real one for a loopback fake', () => {
  assert.equal(readAzureMlSettings({ ...BASE, AZURE_CLIENT_ID: 'c2' }).clientId, 'c2');
  assert.equal(readAzureMlSettings({ ...BASE, AML_CLIENT_ID: 'c1', AZURE_CLIENT_ID: 'c2' }).clientId, 'c1');
  assert.ok(createAzureCredential(readAzureMlSettings({ ...BASE, AML_CLIENT_ID: 'c1' })) instanceof ManagedIdentityCredential);
  assert.ok(createAzureCredential(readAzureMlSettings(BASE)) instanceof DefaultAzureCredential);
  assert.equal(createAzureCredential(readAzureMlSettings({ ...BASE, AML_CLIENT_ID: 'c1', AML_ENDPOINT: 'http://localhost:1' })), loopbackCredential);
});

test('the client is created on first use, and then carries a bearer token', async () => {
  const fake = await FakeAml.start();
  try {
    const aml = createAzureMlServices({ env: fake.env() });
    assert.equal(fake.requests.length, 0);
    await aml.data.get('x', '1');
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(fake.violations(), [], 'authorization header present, request valid');
  } finally {
    await fake.close();
  }
});
