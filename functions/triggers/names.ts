/** Names and instance ids of the trigger orchestrations and activities. */
import { createHash } from 'node:crypto';
import type { BatchWindowInput, QueueWatchInput } from '../../orchestrators/triggers/types';

export type { BatchWindowInput, QueueWatchInput };
export { BATCH_WINDOW_ORCHESTRATOR, QUEUE_WATCH_ORCHESTRATOR, CLOSE_WINDOW_ACTIVITY, DRAIN_QUEUE_ACTIVITY } from '../../orchestrators/triggers/types';

function key(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

export function batchWindowInstanceId(schedule: string, windowStart: string): string {
  return `trigger-window-${key(`${schedule}\n${windowStart}`)}`;
}

export function queueWatchInstanceId(schedule: string): string {
  return `trigger-queue-${key(schedule)}`;
}
