/**
 * Which fire times a timer tick starts. Fire times due since the last tick that are at most
 * `graceMs` old are on time and always start. Older ones were missed (the host was down) and
 * follow the schedule's `catch_up` policy:
 * - skip: none of them;
 * - latest (default): the most recent missed one, unless an on-time fire time supersedes it;
 * - all: every missed one, but at most CATCH_UP_ALL_LIMIT (the most recent ones).
 * Only missed times within `lookbackMs` (31 days) of now are considered, which bounds the work
 * after a long outage; older ones are dropped and flagged, not counted.
 */
import type { CatchUpPolicy, Schedule, ScheduleTrigger } from '../spec/schedule';
import { fireInstants, type FireTimeOptions } from './fire-times';

/** `catch_up: all` starts at most this many missed fire times. */
export const CATCH_UP_ALL_LIMIT = 50;
/** A timer ticks every minute; a fire time up to two minutes old is on time. */
export const DEFAULT_GRACE_MS = 2 * 60_000;
/** Missed fire times older than this are not enumerated. */
export const DEFAULT_LOOKBACK_MS = 31 * 86_400_000;

export interface CatchUpInput extends FireTimeOptions {
  /** The last fire time already handled (or the schedule's creation time for a new one). */
  lastFired: Date;
  now: Date;
  /** Overrides the schedule's `catch_up`. */
  policy?: CatchUpPolicy;
  graceMs?: number;
  limit?: number;
  lookbackMs?: number;
}

export interface CatchUpDecision {
  /** Fire times to start now, ascending. */
  start: Date[];
  /** Fire times within the lookback that were due but are not started (missed and dropped by the policy). */
  skipped: number;
  /** True when fire times older than the lookback were missed too (not counted: after a long outage there can be very many). */
  skippedBeforeLookback?: boolean;
  /** The newest fire time considered: the next tick's `lastFired`. Undefined when none was due. */
  handledUpTo?: Date;
}

export function catchUpFireTimes(schedule: Schedule | ScheduleTrigger, input: CatchUpInput): CatchUpDecision {
  const trigger = 'trigger' in schedule ? schedule.trigger : schedule;
  const policy = input.policy ?? (trigger.type === 'blob' ? 'skip' : trigger.catchUp);
  const nowMs = input.now.getTime();
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const limit = input.limit ?? CATCH_UP_ALL_LIMIT;
  const lookbackFrom = nowMs - (input.lookbackMs ?? DEFAULT_LOOKBACK_MS);
  const lastMs = input.lastFired.getTime();

  let skipped = 0;
  let skippedBeforeLookback = false;
  if (lastMs < lookbackFrom) {
    const first = fireInstants(schedule, lastMs, input).next();
    skippedBeforeLookback = !first.done && first.value <= lookbackFrom;
  }
  const missed: number[] = [];
  const onTime: number[] = [];
  let missedCount = 0;
  for (const at of fireInstants(schedule, Math.max(lastMs, lookbackFrom), input)) {
    if (at > nowMs) break;
    if (nowMs - at <= graceMs) onTime.push(at);
    else {
      missedCount++;
      missed.push(at);
      if (missed.length > limit) missed.shift();
    }
  }
  const missedDropped = missedCount - missed.length;
  let started: number[];
  if (policy === 'skip') started = onTime;
  else if (policy === 'latest') started = onTime.length > 0 || missed.length === 0 ? onTime : [missed[missed.length - 1]!];
  else started = [...missed, ...onTime];
  const kept = started.length - onTime.length;
  skipped += missedDropped + (missed.length - kept);
  const newest = onTime[onTime.length - 1] ?? missed[missed.length - 1];
  const decision: CatchUpDecision = { start: started.map((at) => new Date(at)), skipped };
  if (skippedBeforeLookback) decision.skippedBeforeLookback = true;
  if (newest !== undefined) decision.handledUpTo = new Date(newest);
  return decision;
}
