/**
 * Delivers an Azure ML job event to the step orchestration that waits for the job (found from
 * the job's tags). The Durable backend keeps events raised before the step waits, and the step
 * only moves statuses forward, so duplicated, late and out-of-order events are harmless. An
 * event for a job no orchestration knows is recorded in the state store and dropped.
 */
import type { DurableClient } from 'durable-functions';
import { parseAmlJobEvent } from '../../shared/events/aml-event';
import { EVENTS, type JobStatusEvent } from '../../shared/run/names';
import type { StateStore } from '../../shared/state/types';

export const UNMATCHED_EVENTS_TABLE = 'job_events_unmatched';

export type JobEventOutcome = 'raised' | 'ignored' | 'unknown_job';

export interface UnmatchedJobEvent {
  eventId: string;
  eventType: string;
  jobName: string;
  status: string;
  receivedTime: string;
  reason: string;
}

export async function deliverJobEvent(client: DurableClient, state: StateStore, event: unknown, now: Date = new Date()): Promise<JobEventOutcome> {
  const parsed = parseAmlJobEvent(event);
  if (!parsed) return 'ignored';
  const record = async (reason: string): Promise<JobEventOutcome> => {
    const entry: UnmatchedJobEvent = { eventId: parsed.eventId, eventType: parsed.eventType, jobName: parsed.jobName, status: parsed.status, receivedTime: now.toISOString(), reason };
    await state.table<UnmatchedJobEvent>(UNMATCHED_EVENTS_TABLE).upsert(now.toISOString().slice(0, 10), safeKey(parsed.eventId), entry);
    return 'unknown_job';
  };
  if (!parsed.instanceId) return record('the job has no amlsched.instanceId tag');
  const payload: JobStatusEvent = { jobName: parsed.jobName, status: parsed.status, eventId: parsed.eventId, ...(parsed.eventTime ? { eventTime: parsed.eventTime } : {}) };
  try {
    await client.raiseEvent(parsed.instanceId, EVENTS.jobStatus, payload);
    return 'raised';
  } catch (err) {
    if (err instanceof Error && /\b404\b|not found|no instance with id/i.test(err.message)) return record(`no orchestration '${parsed.instanceId}'`);
    throw err;
  }
}

function safeKey(key: string): string {
  return key.replace(/[/\\#?]/g, '_');
}
