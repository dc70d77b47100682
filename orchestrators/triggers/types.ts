/** Names and inputs of the trigger orchestrations (shared with the functions that start them). */

export const BATCH_WINDOW_ORCHESTRATOR = 'triggersBatchWindow_v1';
export const QUEUE_WATCH_ORCHESTRATOR = 'triggersQueueWatch_v1';
export const CLOSE_WINDOW_ACTIVITY = 'triggersCloseBatchWindow';
export const DRAIN_QUEUE_ACTIVITY = 'triggersDrainQueue';

export interface BatchWindowInput {
  schedule: string;
  /** ISO 8601: identifies the window. */
  windowStart: string;
  closesAt: string;
}

export interface QueueWatchInput {
  schedule: string;
}

/** What draining a schedule's queue left behind. */
export interface DrainResult {
  started: string[];
  waiting: number;
}
