/**
 * A parsed Azure ML schedule (`$schema: .../schedule.schema.json`) with this product's extensions
 * (`trigger.type: blob`, `trigger.catch_up`). Plain JSON, so it can be stored and cross the
 * durable boundary; times stay as written and are turned into instants by shared/schedule.
 */
import type { LiteralValue } from './plan';

export type CatchUpPolicy = 'skip' | 'latest' | 'all';
export type RecurrenceFrequency = 'minute' | 'hour' | 'day' | 'week' | 'month';
export type WeekDay = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export const WEEK_DAYS: readonly WeekDay[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Fields shared by time-based triggers. */
export interface TimeTriggerBase {
  /** As written; without an offset it is wall time in `timeZone`. Absent: the schedule's creation time. */
  startTime?: string;
  endTime?: string;
  /** As written (`Pacific Standard Time`, `America/Los_Angeles`); `UTC` when omitted. */
  timeZone: string;
  /** The IANA zone `timeZone` maps to. */
  ianaTimeZone: string;
  /** What to start after downtime (this product's extension); `latest` when omitted. */
  catchUp: CatchUpPolicy;
}

export interface CronTrigger extends TimeTriggerBase {
  type: 'cron';
  /** Five fields: minute hour day-of-month month day-of-week. */
  expression: string;
}

export interface RecurrencePattern {
  hours: number[];
  minutes: number[];
  /** Only with `frequency: week`; the start day's weekday when omitted. */
  weekDays?: WeekDay[];
  /** Only with `frequency: month`; the start day's day of month when omitted. */
  monthDays?: number[];
}

export interface RecurrenceTrigger extends TimeTriggerBase {
  type: 'recurrence';
  frequency: RecurrenceFrequency;
  interval: number;
  /** Only with frequency day, week or month. */
  schedule?: RecurrencePattern;
}

/** This product's own trigger: blobs created under a datastore path. */
export interface BlobTrigger {
  type: 'blob';
  datastore: string;
  /** Glob on the path inside the datastore (picomatch semantics), no leading slash. */
  path: string;
  /** ISO-8601 duration as written (`PT30S`): one run for the blobs of a window. */
  batchWindow?: string;
  batchWindowMs?: number;
  /** File name (`_SUCCESS`): one run per folder when this file lands. */
  marker?: string;
  maxConcurrentRuns?: number;
}

export type TimeTrigger = CronTrigger | RecurrenceTrigger;
export type ScheduleTrigger = TimeTrigger | BlobTrigger;

/** The job to run: a local job file (resolved against the schedule file) or a registered job. */
export type ScheduleJobRef =
  /** `path` as written; `resolvedPath` joined to the schedule file's folder (POSIX separators). */
  | { kind: 'file'; path: string; resolvedPath: string }
  /** `azureml:NAME` or `azureml:NAME:VERSION` / `azureml:NAME@LABEL`. */
  | { kind: 'registered'; ref: string; name: string; version?: string; label?: string };

/** An input override: a literal (may hold `${{...}}` expressions) or a data input as AML writes it. */
export type ScheduleInputValue = LiteralValue | { [field: string]: LiteralValue };

export interface ScheduleCreateJob {
  job: ScheduleJobRef;
  /** `pipeline` or `command` when written. */
  type?: 'pipeline' | 'command';
  inputs: Record<string, ScheduleInputValue>;
  outputs: Record<string, ScheduleInputValue>;
  /** Pipeline `settings` overrides (`continue_on_step_failure`, `default_compute`, ...). */
  settings: Record<string, LiteralValue>;
  tags: Record<string, string>;
  displayName?: string;
  description?: string;
  experimentName?: string;
  compute?: string;
}

export interface Schedule {
  name: string;
  displayName?: string;
  description?: string;
  tags: Record<string, string>;
  isEnabled: boolean;
  trigger: ScheduleTrigger;
  createJob: ScheduleCreateJob;
  /** The schedule file, as given to the loader. */
  file: string;
}

export function isTimeTrigger(t: ScheduleTrigger): t is TimeTrigger {
  return t.type === 'cron' || t.type === 'recurrence';
}
