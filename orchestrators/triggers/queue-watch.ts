/**
 * One instance per schedule with runs waiting for `max_concurrent_runs`: drains the queue, and
 * while runs still wait, sleeps a few seconds (a run of the schedule may finish meanwhile) and
 * continues as new (a bounded history). The minute tick drains too, so a watcher lost in a crash
 * delays the queue by a minute at most.
 */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { DRAIN_QUEUE_ACTIVITY, type DrainResult, type QueueWatchInput } from './types';

export const QUEUE_POLL_MS = 2_000;

export const queueWatchOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<QueueWatchInput>();
  const result = (yield context.df.callActivity(DRAIN_QUEUE_ACTIVITY, input)) as DrainResult;
  if (result.waiting === 0) return result;
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + QUEUE_POLL_MS));
  context.df.continueAsNew(input);
  return undefined;
};
