/**
 * The minute tick's core, with the time injected (tests pass any `now`; the timer passes the
 * clock). For every enabled cron/recurrence schedule it starts each fire time due since the
 * schedule's `lastFired` (table `triggertimers`), following `trigger.catch_up` after downtime
 * (shared/schedule/catch-up.ts), with run id and ledger event id from schedule name + fire time:
 * a tick that runs twice, or two hosts ticking at once, start each fire time once.
 *
 * A new schedule's `lastFired` is its creation time, so creating one never fires it at once (the
 * schedule YAML has no "fire on create" option). A disabled schedule's `lastFired` follows the
 * clock, so enabling it does not replay what it missed while off. Blob schedules get their
 * backstops here: past-due batch windows close, and queued runs start when slots are free.
 */
import { SchedulesStore, type StoredSchedule } from '../../shared/api/schedules-store';
import { AmlSchedError } from '../../shared/errors';
import { catchUpFireTimes } from '../../shared/schedule/catch-up';
import { isTimeTrigger, type Schedule } from '../../shared/spec/schedule';
import { type LedgerEntry, timerEventId } from '../../shared/triggers/ledger';
import { LedgerStore } from '../../shared/triggers/ledger-store';
import { timerRunId } from '../../shared/triggers/run-ids';
import { startableRunId } from '../../shared/triggers/start-ids';
import { closeDueWindows } from './batch-windows';
import { claimStart } from './claims';
import type { TriggerDeps } from './deps';
import { drainQueue, launch, maxConcurrentRuns } from './launch';

export const TIMERS_TABLE = 'triggertimers';
const LAST_FIRED = 'lastFired';

interface TimerState {
  /** ISO 8601: the newest fire time handled. */
  lastFired: string;
  /** The schedule's creation time: a schedule deleted and created again starts afresh. */
  createdTime?: string;
}

export interface TickResult {
  started: string[];
  entries: LedgerEntry[];
}

/** One tick at `now` over every stored schedule. Errors of one schedule do not stop the others. */
export async function tickSchedules(deps: TriggerDeps, now: Date, log: (message: string) => void = () => undefined): Promise<TickResult> {
  const result: TickResult = { started: [], entries: [] };
  for (const stored of await new SchedulesStore<Schedule>(deps.state).list()) {
    try {
      const trigger = stored.definition.trigger;
      if (isTimeTrigger(trigger)) await tickTimeSchedule(deps, stored, now, result);
      else {
        if (trigger.batchWindowMs !== undefined && !trigger.marker) await closeDueWindows(deps, stored.name);
        if (maxConcurrentRuns(stored.definition) !== undefined) await drainQueue(deps, stored.name);
      }
    } catch (err) {
      log(`schedule ${stored.name}: ${(err as Error).message}`);
    }
  }
  return result;
}

async function tickTimeSchedule(deps: TriggerDeps, stored: StoredSchedule<Schedule>, now: Date, result: TickResult): Promise<void> {
  const timers = deps.state.table<TimerState>(TIMERS_TABLE);
  const key = encodeURIComponent(stored.name);
  if (!stored.enabled) {
    await timers.upsert(LAST_FIRED, key, { lastFired: now.toISOString(), createdTime: stored.createdTime });
    return;
  }
  const saved = await timers.get(LAST_FIRED, key);
  const state = saved?.data.createdTime === stored.createdTime ? saved : undefined;
  const lastFired = new Date(state?.data.lastFired ?? stored.createdTime);
  const schedule = stored.definition;
  const decision = catchUpFireTimes(schedule, { lastFired, now, createdTime: new Date(stored.createdTime) });
  const ledger = new LedgerStore(deps.state);
  const receivedTime = now.toISOString();
  let handledUpTo = decision.handledUpTo;
  if (decision.skipped > 0 || decision.skippedBeforeLookback) {
    const policy = schedule.trigger.type === 'blob' ? 'skip' : schedule.trigger.catchUp;
    const entry: LedgerEntry = {
      receivedTime,
      source: 'timer',
      eventId: `timer:${stored.name}:missed-until:${decision.handledUpTo?.toISOString() ?? receivedTime}`,
      schedule: stored.name,
      outcome: 'filtered',
      reason: `${decision.skipped}${decision.skippedBeforeLookback ? '+' : ''} missed fire time(s) since ${lastFired.toISOString()} not started (catch_up: ${policy})`,
    };
    const claim = await ledger.claim(entry);
    if (claim.claimed) {
      await ledger.record(entry);
      result.entries.push(entry);
    }
  }
  for (const fireTime of decision.start) {
    const eventId = timerEventId(stored.name, fireTime);
    const runId = startableRunId(timerRunId(stored.name, fireTime));
    const base = { receivedTime, source: 'timer' as const, eventId, schedule: stored.name };
    const claimed = await claimStart(deps, ledger, { ...base, outcome: 'started', runId });
    if (claimed.duplicate) {
      result.entries.push(claimed.duplicate);
      continue;
    }
    const { entry, historyRow } = claimed;
    try {
      await launch(deps, stored, {
        schedule: stored.name,
        runId,
        trigger: { type: 'schedule', schedule: stored.name, fireTime: fireTime.toISOString() },
        triggerTime: fireTime.toISOString(),
        historyRow,
        eventIds: [eventId],
        queuedTime: receivedTime,
      });
      result.started.push(runId);
      result.entries.push(entry);
    } catch (err) {
      // Recorded as failed with its claim released. A passing fault (storage, Durable) is retried
      // by the next tick; a bad schedule or input would fail again, so the schedule moves on.
      result.entries.push({ ...entry, outcome: 'failed', reason: (err as Error).message });
      if (err instanceof AmlSchedError && err.nonRetryable) continue;
      handledUpTo = new Date(fireTime.getTime() - 1);
      break;
    }
  }
  if (handledUpTo && handledUpTo.getTime() > lastFired.getTime()) await timers.upsert(LAST_FIRED, key, { lastFired: handledUpTo.toISOString(), createdTime: stored.createdTime });
  else if (!state) await timers.upsert(LAST_FIRED, key, { lastFired: lastFired.toISOString(), createdTime: stored.createdTime });
}
