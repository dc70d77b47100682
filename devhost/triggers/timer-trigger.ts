import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redactSecrets } from '../../shared/errors';
import type { FunctionRegistration, LoadedApp } from '../functions/types';
import type { Logger } from '../logger';
import { resolveSettingReferences } from '../settings';
import { parseSchedule, resolveTimeZone, type TimerSchedule } from './timer-schedule';

/**
 * Timer triggers: each `timerTrigger` function fires on its schedule, never overlapping itself
 * (the next occurrence is computed when an invocation ends, as the singleton listener does).
 * With `useMonitor` (default true) the schedule status is kept in `<data>/timers/`, so an
 * occurrence missed while the host was down runs at start-up with `IsPastDue: true`.
 * `runOnStartup` runs once when the host starts. Payload: the host's PascalCase TimerInfo.
 */
interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

interface TimerEntry {
  fn: FunctionRegistration;
  schedule: TimerSchedule;
  runOnStartup: boolean;
  useMonitor: boolean;
  statusFile: string;
  handle?: NodeJS.Timeout;
}

export interface TimerSchedulerOptions {
  app: LoadedApp;
  dataDir: string;
  logger: Logger;
  env?: Record<string, string | undefined>;
}

const MAX_DELAY = 2 ** 31 - 1;

export class TimerScheduler {
  readonly #entries: TimerEntry[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #options: TimerSchedulerOptions;
  #stopped = false;

  /** Reads and validates every timer function's schedule (throws ConfigurationError). */
  constructor(options: TimerSchedulerOptions) {
    this.#options = options;
    const env = options.env ?? process.env;
    const timeZone = resolveTimeZone(env.WEBSITE_TIME_ZONE);
    for (const fn of options.app.functions.values()) {
      if (fn.trigger.type !== 'timerTrigger') continue;
      const b = fn.trigger.binding;
      const where = `function '${fn.name}' schedule`;
      const expression = resolveSettingReferences(String(b.schedule ?? ''), where, env);
      this.#entries.push({
        fn,
        schedule: parseSchedule(expression, timeZone, where),
        runOnStartup: b.runOnStartup === true,
        useMonitor: b.useMonitor !== false,
        statusFile: path.join(options.dataDir, 'timers', `${fn.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`),
      });
    }
  }

  get functionNames(): string[] {
    return this.#entries.map((e) => e.fn.name);
  }

  start(): void {
    for (const entry of this.#entries) {
      const status = entry.useMonitor ? this.#readStatus(entry) : undefined;
      const now = new Date();
      if (status && Date.parse(status.Next) < now.getTime()) {
        this.#track(this.#fire(entry, new Date(status.Next), true));
      } else if (entry.runOnStartup) {
        this.#track(this.#fire(entry, now, false));
      } else {
        this.#scheduleNext(entry, status ? new Date(status.Last) : undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const entry of this.#entries) clearTimeout(entry.handle);
    await Promise.allSettled([...this.#running]);
  }

  #track(p: Promise<void>): void {
    this.#running.add(p);
    void p.finally(() => this.#running.delete(p));
  }

  #readStatus(entry: TimerEntry): ScheduleStatus | undefined {
    try {
      const status = JSON.parse(readFileSync(entry.statusFile, 'utf8')) as ScheduleStatus;
      return Number.isNaN(Date.parse(status.Next)) ? undefined : status;
    } catch {
      return undefined;
    }
  }

  #writeStatus(entry: TimerEntry, status: ScheduleStatus): void {
    if (!entry.useMonitor) return;
    mkdirSync(path.dirname(entry.statusFile), { recursive: true });
    const tmp = `${entry.statusFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(status));
    renameSync(tmp, entry.statusFile);
  }

  #scheduleNext(entry: TimerEntry, last: Date | undefined): void {
    if (this.#stopped) return;
    const now = new Date();
    const next = entry.schedule.next(now);
    if (!next) return;
    this.#writeStatus(entry, { Last: (last ?? now).toISOString(), Next: next.toISOString(), LastUpdated: now.toISOString() });
    const arm = () => {
      const delay = next.getTime() - Date.now();
      if (delay > MAX_DELAY) {
        entry.handle = setTimeout(arm, MAX_DELAY);
        return;
      }
      entry.handle = setTimeout(() => this.#track(this.#fire(entry, next, false)), Math.max(0, delay));
    };
    arm();
  }

  async #fire(entry: TimerEntry, occurrence: Date, isPastDue: boolean): Promise<void> {
    if (this.#stopped) return;
    const now = new Date();
    const following = entry.schedule.next(now) ?? occurrence;
    const payload = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: entry.useMonitor ? { Last: occurrence.toISOString(), Next: following.toISOString(), LastUpdated: now.toISOString() } : null,
      IsPastDue: isPastDue,
    };
    try {
      await this.#options.app.invoke({ functionName: entry.fn.name, triggerData: { json: JSON.stringify(payload) } });
    } catch (err) {
      this.#options.logger.error({ function: entry.fn.name, error: redactSecrets(err instanceof Error ? err.message : String(err)) }, 'timer function failed');
    }
    this.#scheduleNext(entry, occurrence);
  }
}
