/**
 * Event Grid trigger for `Microsoft.Storage.BlobCreated` on the datastores' storage accounts:
 * starts the runs of every matching blob schedule exactly once per event (functions/triggers/).
 * In Azure an Event Grid subscription on the storage account delivers here; on the local host the
 * blob watcher publishes the same events through the same webhook. An error answers 500, so
 * Event Grid redelivers; the ledger makes the redelivery of what did start a no-op.
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { handleBlobCreated } from './triggers/blob-events';
import { createTriggerDeps } from './triggers/deps';

const clientInput = df.input.durableClient();

app.eventGrid('blobCreated', {
  extraInputs: [clientInput],
  handler: async (event, context) => {
    const outcome = await handleBlobCreated(createTriggerDeps(df.getClient(context), getServices()), event);
    context.log(`blobCreated: event ${outcome.eventId}: ${outcome.entries.map((e) => `${e.schedule ?? '-'} ${e.outcome}${e.runId ? ` ${e.runId}` : ''}`).join('; ') || 'no schedules'}`);
  },
});
