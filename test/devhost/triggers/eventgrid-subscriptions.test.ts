import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSubscriptions } from '../../../devhost/triggers/eventgrid-subscriptions';

const fns = ['amlJobEvents', 'blobCreated'];

test('event type lists and filter objects become subscriptions', () => {
  assert.deepEqual(parseSubscriptions(undefined, fns), []);
  assert.deepEqual(parseSubscriptions(JSON.stringify({
    amlJobEvents: ['Microsoft.MachineLearningServices.RunCompleted'],
    blobCreated: { includedEventTypes: ['Microsoft.Storage.BlobCreated'], subjectBeginsWith: '/blobServices/default/containers/in/' },
  }), fns), [
    { functionName: 'amlJobEvents', includedEventTypes: ['Microsoft.MachineLearningServices.RunCompleted'] },
    { functionName: 'blobCreated', includedEventTypes: ['Microsoft.Storage.BlobCreated'], subjectBeginsWith: '/blobServices/default/containers/in/' },
  ]);
});

test('errors name the setting', () => {
  assert.throws(() => parseSubscriptions('{', fns), /AMLSCHED_EVENTGRID_SUBSCRIPTIONS: is not valid JSON/);
  assert.throws(() => parseSubscriptions('{"nope": []}', fns), /AMLSCHED_EVENTGRID_SUBSCRIPTIONS: 'nope' is not an Event Grid function of the app \(amlJobEvents, blobCreated\)/);
  assert.throws(() => parseSubscriptions('{"blobCreated": 3}', fns), /'blobCreated' needs a list of event types/);
});
