import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durableClientPayload } from '../../../devhost/durable/client-payload';
import { resolveTaskHub } from '../../../devhost/durable/index';

describe('durable client payload', () => {
  it('has the fields durable-functions 3.5.0 requires, with the system key on webhook links', () => {
    const p = durableClientPayload('Hub1', { baseUrl: 'http://127.0.0.1:7071/', systemKey: 'k/1' });
    assert.equal(p.taskHubName, 'Hub1');
    assert.equal(p.rpcBaseUrl, 'http://127.0.0.1:7071/durabletask/');
    assert.equal(p.baseUrl, 'http://127.0.0.1:7071/runtime/webhooks/durabletask');
    assert.equal(p.requiredQueryStringParameters, 'code=k%2F1');
    assert.equal(p.managementUrls.id, 'INSTANCEID');
    assert.equal(p.managementUrls.statusQueryGetUri,
      'http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=Hub1&connection=Storage&code=k%2F1');
    assert.match(p.managementUrls.sendEventPostUri ?? '', /\/instances\/INSTANCEID\/raiseEvent\/\{eventName\}\?taskHub=Hub1/);
    assert.match(p.creationUrls.createNewInstancePostUri, /\/orchestrators\/\{functionName\}\[\/\{instanceId\}\]\?code=k%2F1$/);
    const noKey = durableClientPayload('Hub1', { baseUrl: 'http://127.0.0.1:9', rpcBaseUrl: 'http://127.0.0.1:9/x/' });
    assert.equal(noKey.requiredQueryStringParameters, '');
    assert.equal(noKey.rpcBaseUrl, 'http://127.0.0.1:9/x/');
  });

  it('resolves the task hub from host.json with %SETTING% substitution', () => {
    const hostJson = { extensions: { durableTask: { hubName: '%HUB%' } } };
    assert.equal(resolveTaskHub(hostJson, { HUB: 'MyHub' }), 'MyHub');
    assert.equal(resolveTaskHub(hostJson, {}), 'TestHubName');
    assert.equal(resolveTaskHub(undefined, { WEBSITE_SITE_NAME: 'site' }), 'site');
  });
});
