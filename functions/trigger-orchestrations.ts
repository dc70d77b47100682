/**
 * The trigger orchestrations (batch-window timers, max_concurrent_runs queue watchers) and the
 * activities they call.
 */
import * as df from 'durable-functions';
import { batchWindowOrchestrator } from '../orchestrators/triggers/batch-window';
import { queueWatchOrchestrator } from '../orchestrators/triggers/queue-watch';
import { BATCH_WINDOW_ORCHESTRATOR, CLOSE_WINDOW_ACTIVITY, DRAIN_QUEUE_ACTIVITY, QUEUE_WATCH_ORCHESTRATOR, type BatchWindowInput, type QueueWatchInput } from '../orchestrators/triggers/types';
import { getServices } from '../shared/config/services';
import { closeWindow } from './triggers/batch-windows';
import { createTriggerDeps } from './triggers/deps';
import { drainQueue } from './triggers/launch';

const clientInput = df.input.durableClient();

df.app.orchestration(BATCH_WINDOW_ORCHESTRATOR, batchWindowOrchestrator);
df.app.orchestration(QUEUE_WATCH_ORCHESTRATOR, queueWatchOrchestrator);

df.app.activity(CLOSE_WINDOW_ACTIVITY, {
  extraInputs: [clientInput],
  handler: async (input: BatchWindowInput, context) => {
    const runId = await closeWindow(createTriggerDeps(df.getClient(context), getServices()), input.schedule, input.windowStart);
    return runId ?? null;
  },
});

df.app.activity(DRAIN_QUEUE_ACTIVITY, {
  extraInputs: [clientInput],
  handler: async (input: QueueWatchInput, context) => drainQueue(createTriggerDeps(df.getClient(context), getServices()), input.schedule),
});
