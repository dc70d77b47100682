import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixtureApp, startInProcessHost } from '../_helpers/host';

// The host runs in this test process; webhook calls go over HTTP, the publisher in-process.
let host: Awaited<ReturnType<typeof startInProcessHost>>;
before(async () => {
  host = await startInProcessHost({ appDir: fixtureApp('basic') });
});
after(async () => {
  await host?.cleanup();
});

interface Recorded { events: Record<string, unknown>[] }
async function events(): Promise<Record<string, unknown>[]> {
  return ((await (await fetch(`${host.url}/api/record`)).json()) as Recorded).events;
}

function webhook(query: string, init: RequestInit): Promise<Response> {
  return fetch(`${host.url}/runtime/webhooks/eventgrid?${query}`, init);
}

const egEvent = (id: string, data: unknown = { n: 1 }) => ({
  id, topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a', subject: `/blobServices/default/containers/c/blobs/${id}`,
  eventType: 'Microsoft.Storage.BlobCreated', eventTime: '2026-01-01T00:00:00Z', data, dataVersion: '', metadataVersion: '1',
});

test('SubscriptionValidation answers the validation code (Event Grid schema and CloudEvents)', async () => {
  const res = await webhook('functionName=onEvent', {
    method: 'POST', headers: { 'aeg-event-type': 'SubscriptionValidation', 'content-type': 'application/json' },
    body: JSON.stringify([{ ...egEvent('v1', { validationCode: 'CODE-123' }), eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent' }]),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { validationResponse: 'CODE-123' });
  const cloud = await webhook('functionName=onEvent', {
    method: 'POST', headers: { 'aeg-event-type': 'SubscriptionValidation', 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: 'v2', source: 's', type: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: JSON.stringify({ validationCode: 'C2' }) }),
  });
  assert.deepEqual(await cloud.json(), { validationResponse: 'C2' });
  assert.equal((await events()).length, 0, 'validation does not invoke the function');
});

test('Notification invokes the function once per event and answers 202', async () => {
  const res = await webhook('functionName=onEvent', {
    method: 'POST', headers: { 'aeg-event-type': 'Notification', 'content-type': 'application/json' },
    body: JSON.stringify([egEvent('n1'), egEvent('n2')]),
  });
  assert.equal(res.status, 202);
  const got = await events();
  assert.deepEqual(got.slice(-2), [egEvent('n1'), egEvent('n2')]);
});

test('a CloudEvent (single object) and a CloudEvents batch are delivered as they are', async () => {
  const ce = { specversion: '1.0', id: 'ce1', source: '/x', type: 'Custom.Thing', time: '2026-01-01T00:00:00Z', data: { a: 1 } };
  const one = await webhook('functionName=onEvent', { method: 'POST', headers: { 'aeg-event-type': 'Notification', 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(ce) });
  assert.equal(one.status, 202);
  const batch = await webhook('functionName=onEvent', {
    method: 'POST', headers: { 'aeg-event-type': 'Notification', 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify([{ ...ce, id: 'ce2' }, { ...ce, id: 'ce3' }]),
  });
  assert.equal(batch.status, 202);
  assert.deepEqual((await events()).slice(-3).map((e) => e.id), ['ce1', 'ce2', 'ce3']);
  assert.deepEqual((await events()).at(-1), { ...ce, id: 'ce3' });
});

test('a failing event makes the delivery 500 (Event Grid retries the batch)', async () => {
  const res = await webhook('functionName=onEvent', {
    method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: JSON.stringify([egEvent('f1', { fail: true }), egEvent('f2')]),
  });
  assert.equal(res.status, 500);
  assert.match(await res.text(), /event f1 asked to fail/);
});

test('Unsubscribe 202, missing aeg-event-type 400, unknown or non-Event Grid function 404, CloudEvents OPTIONS handshake', async () => {
  assert.equal((await webhook('functionName=onEvent', { method: 'POST', headers: { 'aeg-event-type': 'Unsubscribe' }, body: '[]' })).status, 202);
  assert.equal((await webhook('functionName=onEvent', { method: 'POST', body: JSON.stringify([egEvent('x')]) })).status, 400);
  const unknown = await webhook('functionName=nope', { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: '[]' });
  assert.equal(unknown.status, 404);
  assert.equal(await unknown.text(), "cannot find function: 'nope'");
  assert.equal((await webhook('functionName=hello', { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: '[]' })).status, 404);
  const options = await webhook('functionName=onEvent', { method: 'OPTIONS', headers: { 'webhook-request-origin': 'eventgrid.azure.net' } });
  assert.equal(options.status, 200);
  assert.equal(options.headers.get('webhook-allowed-origin'), 'eventgrid.azure.net');
});

test('the system key: a wrong code is refused, the right one accepted', async () => {
  const body = JSON.stringify([egEvent('k1')]);
  assert.equal((await webhook('functionName=onEvent&code=wrong', { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body })).status, 401);
  const code = encodeURIComponent(host.keys.systemKeys.eventgrid_extension as string);
  assert.equal((await webhook(`functionName=onEvent&code=${code}`, { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body })).status, 202);
});

test('the in-process publisher fills topic, id, eventTime and metadataVersion and delivers through the webhook', async () => {
  const results = await host.eventGrid.publish(
    [{ subject: 'experiments/e/runs/r1', eventType: 'Microsoft.MachineLearningServices.RunCompleted', data: { runId: 'r1' } }],
    { topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w' },
  );
  assert.equal(results.length, 1);
  assert.equal(results[0]?.functionName, 'onEvent');
  assert.equal(results[0]?.status, 202);
  const delivered = (await events()).at(-1) as Record<string, unknown>;
  assert.equal(delivered.topic, '/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w');
  assert.equal(delivered.metadataVersion, '1');
  assert.equal(delivered.dataVersion, '');
  assert.equal(delivered.id, results[0]?.eventIds[0]);
  assert.ok(!Number.isNaN(Date.parse(String(delivered.eventTime))));
  assert.deepEqual(delivered.data, { runId: 'r1' });
});

test('publisher routing by subscription filters, and retries then reports a failing delivery', async () => {
  const unsubscribe = host.eventGrid.subscribe({ functionName: 'onEvent', includedEventTypes: ['Microsoft.Storage.BlobCreated'], subjectBeginsWith: '/blobServices/default/containers/in/' });
  try {
    const before = (await events()).length;
    const skipped = await host.eventGrid.publish([{ subject: '/blobServices/default/containers/out/blobs/a', eventType: 'Microsoft.Storage.BlobCreated' }]);
    assert.deepEqual(skipped, []);
    const failed = await host.eventGrid.publish([{ subject: '/blobServices/default/containers/in/blobs/b', eventType: 'Microsoft.Storage.BlobCreated', data: { fail: true } }], { maxAttempts: 2, retryDelayMs: 10 });
    assert.equal(failed[0]?.status, 500);
    assert.equal(failed[0]?.attempts, 2);
    assert.equal((await events()).length, before + 2, 'two delivery attempts of the one matching event');
  } finally {
    unsubscribe();
  }
});
