/**
 * Loads Azure ML schedule YAML (YAML 1.1, as `az ml schedule create` reads it) into a Schedule,
 * collecting every problem with file:line:column, field path and reason. Unknown keys are
 * refused as az ml's strict schemas refuse them.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { isScalar } from 'yaml';
import type { LiteralValue, SourceLocation } from './plan';
import { Problems, problemsToError, type Problem, type ProblemCode } from './problems';
import {
  WEEK_DAYS,
  type BlobTrigger,
  type CatchUpPolicy,
  type RecurrenceFrequency,
  type RecurrencePattern,
  type Schedule,
  type ScheduleCreateJob,
  type ScheduleInputValue,
  type ScheduleJobRef,
  type ScheduleTrigger,
  type TimeTriggerBase,
  type WeekDay,
} from './schedule';
import { parseYaml, type YNode } from './yaml-node';
import { compileCron } from '../schedule/cron';
import { parseIsoDuration } from '../schedule/duration';
import { toIanaTimeZone } from '../schedule/time-zone';
import { instantOf, parseDateTime } from '../schedule/wall-clock';

export interface ScheduleLoadResult {
  /** Present only when there are no problems. */
  schedule?: Schedule;
  problems: Problem[];
}

const TOP_KEYS = ['$schema', 'name', 'version', 'display_name', 'description', 'tags', 'properties', 'is_enabled', 'trigger', 'create_job'];
const TIME_KEYS = ['type', 'start_time', 'end_time', 'time_zone', 'catch_up'];
const CRON_KEYS = [...TIME_KEYS, 'expression'];
const RECURRENCE_KEYS = [...TIME_KEYS, 'frequency', 'interval', 'schedule'];
const BLOB_KEYS = ['type', 'datastore', 'path', 'batch_window', 'marker', 'max_concurrent_runs'];
const PATTERN_KEYS = ['hours', 'minutes', 'week_days', 'month_days'];
const CREATE_JOB_KEYS = ['job', 'type', 'inputs', 'outputs', 'settings', 'tags', 'display_name', 'description', 'experiment_name', 'compute'];
const FREQUENCIES: readonly RecurrenceFrequency[] = ['minute', 'hour', 'day', 'week', 'month'];
const CATCH_UP: readonly CatchUpPolicy[] = ['skip', 'latest', 'all'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const REGISTERED = /^azureml:([A-Za-z0-9][A-Za-z0-9_.-]*)(?::([A-Za-z0-9_.-]+)|@([A-Za-z0-9_.-]+))?$/;

/** Problem collection for one schedule file. */
class Reader {
  readonly problems = new Problems();

  report(at: YNode | SourceLocation, code: ProblemCode, message: string): void {
    this.problems.add('loc' in at ? at.loc : at, code, message);
  }

  /** Where a missing field would go: the parent's position, the field's path. */
  missing(parent: YNode, key: string, why = ''): void {
    const at = parent.loc;
    const fieldPath = parent.path ? `${parent.path}.${key}` : key;
    this.report({ ...at, path: fieldPath }, 'missing_field', `${fieldPath} is required${why}`);
  }

  isMap(n: YNode, what: string): boolean {
    if (n.kind === 'map') return true;
    this.report(n, 'invalid_type', `${what} must be a mapping, got ${describe(n)}`);
    return false;
  }

  checkKeys(n: YNode, allowed: readonly string[], what: string): void {
    for (const [key, child] of n.entries()) {
      if (!allowed.includes(key)) {
        this.report(child.keyLoc, 'unknown_key', `unknown field '${key}' in ${what} (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  string(n: YNode | undefined, what: string): string | undefined {
    if (!n || n.kind === 'null') return undefined;
    if (n.kind === 'scalar' && typeof n.value === 'string') return n.value;
    this.report(n, 'invalid_type', `${what} must be a string, got ${describe(n)}`);
    return undefined;
  }

  /** Names and tag values: numbers and booleans are kept as written. */
  text(n: YNode | undefined, what: string): string | undefined {
    if (!n || n.kind === 'null') return undefined;
    if (n.kind === 'scalar' && ['string', 'number', 'boolean'].includes(typeof n.value)) return sourceText(n);
    this.report(n, 'invalid_type', `${what} must be a string, got ${describe(n)}`);
    return undefined;
  }

  literal(n: YNode, what: string): LiteralValue | undefined {
    if (n.kind === 'scalar' && ['string', 'number', 'boolean'].includes(typeof n.value)) return n.value as LiteralValue;
    if (n.kind === 'scalar' && n.value instanceof Date) return sourceText(n);
    this.report(n, 'invalid_type', `${what} must be a string, number or boolean, got ${describe(n)}`);
    return undefined;
  }

  bool(n: YNode | undefined, what: string): boolean | undefined {
    if (!n || n.kind === 'null') return undefined;
    if (n.kind === 'scalar' && typeof n.value === 'boolean') return n.value;
    this.report(n, 'invalid_type', `${what} must be a boolean, got ${describe(n)}`);
    return undefined;
  }

  int(n: YNode | undefined, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (!n || n.kind === 'null') return undefined;
    if (n.kind === 'scalar' && typeof n.value === 'number' && Number.isInteger(n.value)) {
      if (n.value >= min && n.value <= max) return n.value;
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
      this.report(n, 'invalid_value', `${what} must be ${range}, got ${n.value}`);
      return undefined;
    }
    this.report(n, 'invalid_type', `${what} must be an integer, got ${describe(n)}`);
    return undefined;
  }

  intList(n: YNode | undefined, what: string, min: number, max: number): number[] | undefined {
    if (!n || n.kind === 'null') return undefined;
    if (n.kind !== 'seq') {
      this.report(n, 'invalid_type', `${what} must be a list of integers, got ${describe(n)}`);
      return undefined;
    }
    const items = n.items();
    if (items.length === 0) {
      this.report(n, 'invalid_value', `${what} must not be empty`);
      return undefined;
    }
    const values = items.map((item) => this.int(item, `${what} item`, min, max));
    return values.every((v): v is number => v !== undefined) ? [...new Set(values)].sort((a, b) => a - b) : undefined;
  }

  stringMap(n: YNode | undefined, what: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (!n || n.kind === 'null' || !this.isMap(n, what)) return out;
    for (const [key, child] of n.entries()) {
      const v = this.text(child, `${what} value '${key}'`);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
}

function describe(n: YNode): string {
  switch (n.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'null':
      return 'empty';
    default:
      return typeof n.value === 'string' ? `the string '${n.value}'` : `${typeof n.value} ${sourceText(n)}`;
  }
}

/** A scalar as written: YAML 1.1 reads `2022-07-10T10:00:00` as a timestamp, AML keeps the text. */
function sourceText(n: YNode): string {
  const node = n.node;
  if (isScalar(node) && typeof node.source === 'string' && (node.value instanceof Date || typeof node.value !== 'string')) return node.source;
  return String(n.value);
}

/** Parses schedule YAML text. `file` names the schedule in messages and anchors a relative `create_job` path. */
export function parseSchedule(text: string, file: string): ScheduleLoadResult {
  const r = new Reader();
  const parsed = parseYaml(file, text, r.problems);
  if (!parsed) return { problems: r.problems.list() };
  const root = parsed.root;
  if (!r.isMap(root, 'a schedule document')) return { problems: r.problems.list() };
  r.checkKeys(root, TOP_KEYS, 'the schedule');

  const schemaUrl = r.string(root.get('$schema'), '$schema');
  if (schemaUrl !== undefined && !/schedule\.schema\.json$/i.test(schemaUrl)) {
    r.report(root.get('$schema')!, 'invalid_value', `$schema '${schemaUrl}' is not a schedule schema (expected .../schedule.schema.json)`);
  }
  const nameNode = root.get('name');
  const name = r.text(nameNode, 'name');
  if (name === undefined && (!nameNode || nameNode.kind === 'null')) r.missing(root, 'name');
  else if (name !== undefined && !NAME.test(name)) {
    r.report(nameNode!, 'invalid_value', `name '${name}' may hold only letters, digits, '-' and '_', starting with a letter or digit`);
  }
  const displayName = r.text(root.get('display_name'), 'display_name');
  const description = r.text(root.get('description'), 'description');
  const tags = r.stringMap(root.get('tags'), 'tags');
  const isEnabled = r.bool(root.get('is_enabled'), 'is_enabled') ?? true;

  const triggerNode = root.get('trigger');
  const trigger = triggerNode && triggerNode.kind !== 'null' ? readTrigger(r, triggerNode) : (r.missing(root, 'trigger'), undefined);
  const jobNode = root.get('create_job');
  const createJob = jobNode && jobNode.kind !== 'null' ? readCreateJob(r, jobNode, file) : (r.missing(root, 'create_job'), undefined);

  const problems = r.problems.list();
  if (problems.length > 0 || !name || !trigger || !createJob) return { problems };
  const schedule: Schedule = { name, tags, isEnabled, trigger, createJob, file };
  if (displayName !== undefined) schedule.displayName = displayName;
  if (description !== undefined) schedule.description = description;
  return { schedule, problems };
}

function readTrigger(r: Reader, n: YNode): ScheduleTrigger | undefined {
  if (!r.isMap(n, 'trigger')) return undefined;
  const typeNode = n.get('type');
  const type = r.string(typeNode, 'trigger.type')?.toLowerCase();
  if (type === undefined) {
    if (!typeNode || typeNode.kind === 'null') r.missing(n, 'type', ' (cron, recurrence or blob)');
    return undefined;
  }
  switch (type) {
    case 'cron':
      return readCron(r, n);
    case 'recurrence':
      return readRecurrence(r, n);
    case 'blob':
      return readBlob(r, n);
    default:
      r.report(typeNode!, 'invalid_value', `trigger.type '${type}' is not supported (cron, recurrence or blob)`);
      return undefined;
  }
}

function readTimeBase(r: Reader, n: YNode): TimeTriggerBase | undefined {
  const tzNode = n.get('time_zone');
  const timeZone = r.text(tzNode, 'trigger.time_zone') ?? 'UTC';
  const ianaTimeZone = toIanaTimeZone(timeZone);
  if (!ianaTimeZone) {
    r.report(tzNode!, 'invalid_value', `unknown time zone '${timeZone}' (use a Windows name such as 'Pacific Standard Time' or an IANA name such as 'America/Los_Angeles')`);
  }
  const startTime = readDateTime(r, n.get('start_time'), 'trigger.start_time');
  const endNode = n.get('end_time');
  const endTime = readDateTime(r, endNode, 'trigger.end_time');
  if (ianaTimeZone && startTime !== undefined && endTime !== undefined) {
    const start = instantOf(startTime, ianaTimeZone)!;
    const end = instantOf(endTime, ianaTimeZone)!;
    if (end <= start) r.report(endNode!, 'invalid_value', `trigger.end_time '${endTime}' must be after start_time '${startTime}'`);
  }
  const catchNode = n.get('catch_up');
  const catchText = r.string(catchNode, 'trigger.catch_up');
  let catchUp: CatchUpPolicy = 'latest';
  if (catchText !== undefined) {
    if ((CATCH_UP as readonly string[]).includes(catchText)) catchUp = catchText as CatchUpPolicy;
    else r.report(catchNode!, 'invalid_value', `trigger.catch_up '${catchText}' must be one of ${CATCH_UP.join(', ')}`);
  }
  if (!ianaTimeZone) return undefined;
  const base: TimeTriggerBase = { timeZone, ianaTimeZone, catchUp };
  if (startTime !== undefined) base.startTime = startTime;
  if (endTime !== undefined) base.endTime = endTime;
  return base;
}

function readDateTime(r: Reader, n: YNode | undefined, what: string): string | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind !== 'scalar' || !(typeof n.value === 'string' || n.value instanceof Date)) {
    r.report(n, 'invalid_type', `${what} must be a date-time string, got ${describe(n)}`);
    return undefined;
  }
  const text = sourceText(n);
  if (!parseDateTime(text)) {
    r.report(n, 'invalid_value', `${what} '${text}' is not an ISO 8601 date-time (e.g. 2022-07-10T10:00:00)`);
    return undefined;
  }
  return text;
}

function readCron(r: Reader, n: YNode): ScheduleTrigger | undefined {
  r.checkKeys(n, CRON_KEYS, 'a cron trigger');
  const exprNode = n.get('expression');
  const expression = r.string(exprNode, 'trigger.expression');
  if (expression === undefined && (!exprNode || exprNode.kind === 'null')) r.missing(n, 'expression', ' for a cron trigger');
  let valid = expression !== undefined;
  if (expression !== undefined) {
    try {
      compileCron(expression);
    } catch (err) {
      r.report(exprNode!, 'invalid_value', `trigger.expression '${expression}' is not a valid cron expression: ${(err as Error).message}`);
      valid = false;
    }
  }
  const base = readTimeBase(r, n);
  return base && valid ? { type: 'cron', expression: expression!.trim(), ...base } : undefined;
}

function readRecurrence(r: Reader, n: YNode): ScheduleTrigger | undefined {
  r.checkKeys(n, RECURRENCE_KEYS, 'a recurrence trigger');
  const freqNode = n.get('frequency');
  const freqText = r.string(freqNode, 'trigger.frequency');
  let frequency: RecurrenceFrequency | undefined;
  if (freqText === undefined) {
    if (!freqNode || freqNode.kind === 'null') r.missing(n, 'frequency', ` (${FREQUENCIES.join(', ')})`);
  } else if ((FREQUENCIES as readonly string[]).includes(freqText.toLowerCase())) {
    frequency = freqText.toLowerCase() as RecurrenceFrequency;
  } else {
    r.report(freqNode!, 'invalid_value', `trigger.frequency '${freqText}' must be one of ${FREQUENCIES.join(', ')}`);
  }
  const intervalNode = n.get('interval');
  const interval = r.int(intervalNode, 'trigger.interval', 1);
  if (!intervalNode || intervalNode.kind === 'null') r.missing(n, 'interval', ' for a recurrence trigger');
  const patternNode = n.get('schedule');
  const pattern = patternNode && patternNode.kind !== 'null' && frequency ? readPattern(r, patternNode, frequency) : undefined;
  const base = readTimeBase(r, n);
  if (!base || !frequency || interval === undefined) return undefined;
  if (patternNode && patternNode.kind !== 'null' && !pattern) return undefined;
  return { type: 'recurrence', frequency, interval, ...(pattern ? { schedule: pattern } : {}), ...base };
}

function readPattern(r: Reader, n: YNode, frequency: RecurrenceFrequency): RecurrencePattern | undefined {
  if (!r.isMap(n, 'trigger.schedule')) return undefined;
  r.checkKeys(n, PATTERN_KEYS, 'trigger.schedule');
  if (frequency === 'minute' || frequency === 'hour') {
    r.report(n, 'invalid_value', `trigger.schedule applies only to frequency day, week or month, not ${frequency}`);
    return undefined;
  }
  const hours = r.intList(n.get('hours'), 'trigger.schedule.hours', 0, 23);
  const minutes = r.intList(n.get('minutes'), 'trigger.schedule.minutes', 0, 59);
  if (!n.get('hours')) r.missing(n, 'hours', ' in a recurrence schedule');
  if (!n.get('minutes')) r.missing(n, 'minutes', ' in a recurrence schedule');
  const weekNode = n.get('week_days');
  let weekDays: WeekDay[] | undefined;
  if (weekNode && weekNode.kind !== 'null') {
    if (frequency !== 'week') r.report(weekNode.keyLoc, 'invalid_value', `trigger.schedule.week_days applies only to frequency week, not ${frequency}`);
    else weekDays = readWeekDays(r, weekNode);
  }
  const monthNode = n.get('month_days');
  let monthDays: number[] | undefined;
  if (monthNode && monthNode.kind !== 'null') {
    if (frequency !== 'month') r.report(monthNode.keyLoc, 'invalid_value', `trigger.schedule.month_days applies only to frequency month, not ${frequency}`);
    else monthDays = r.intList(monthNode, 'trigger.schedule.month_days', 1, 31);
  }
  if (!hours || !minutes) return undefined;
  if (weekNode && weekNode.kind !== 'null' && !weekDays) return undefined;
  if (monthNode && monthNode.kind !== 'null' && !monthDays) return undefined;
  return { hours, minutes, ...(weekDays ? { weekDays } : {}), ...(monthDays ? { monthDays } : {}) };
}

function readWeekDays(r: Reader, n: YNode): WeekDay[] | undefined {
  if (n.kind !== 'seq' || n.items().length === 0) {
    r.report(n, n.kind === 'seq' ? 'invalid_value' : 'invalid_type', `trigger.schedule.week_days must be a non-empty list of ${WEEK_DAYS.join(', ')}`);
    return undefined;
  }
  const days = n.items().map((item) => {
    const text = r.string(item, 'trigger.schedule.week_days item')?.toLowerCase();
    if (text !== undefined && !(WEEK_DAYS as readonly string[]).includes(text)) {
      r.report(item, 'invalid_value', `'${text}' is not a week day (${WEEK_DAYS.join(', ')})`);
      return undefined;
    }
    return text as WeekDay | undefined;
  });
  if (!days.every((d): d is WeekDay => d !== undefined)) return undefined;
  return WEEK_DAYS.filter((d) => days.includes(d));
}

function readBlob(r: Reader, n: YNode): BlobTrigger | undefined {
  r.checkKeys(n, BLOB_KEYS, 'a blob trigger');
  const dsNode = n.get('datastore');
  let datastore = r.string(dsNode, 'trigger.datastore');
  if (datastore === undefined && (!dsNode || dsNode.kind === 'null')) r.missing(n, 'datastore', ' for a blob trigger');
  if (datastore?.startsWith('azureml:')) datastore = datastore.slice('azureml:'.length);
  if (datastore !== undefined && !NAME.test(datastore)) {
    r.report(dsNode!, 'invalid_value', `trigger.datastore '${datastore}' is not a datastore name`);
    datastore = undefined;
  }
  const pathNode = n.get('path');
  let glob = r.string(pathNode, 'trigger.path');
  if (glob === undefined && (!pathNode || pathNode.kind === 'null')) r.missing(n, 'path', ' (a glob such as incoming/**/*.csv)');
  if (glob !== undefined) {
    if (glob.trim() === '' || glob.startsWith('/')) {
      r.report(pathNode!, 'invalid_value', `trigger.path '${glob}' must be a glob relative to the datastore root, without a leading '/'`);
      glob = undefined;
    } else if (!picomatch.scan(glob).isGlob && glob.endsWith('/')) {
      r.report(pathNode!, 'invalid_value', `trigger.path '${glob}' names a folder; match its files with '${glob}**'`);
      glob = undefined;
    }
  }
  const windowNode = n.get('batch_window');
  const batchWindow = r.string(windowNode, 'trigger.batch_window');
  const batchWindowMs = batchWindow === undefined ? undefined : parseIsoDuration(batchWindow);
  if (batchWindow !== undefined && (batchWindowMs === undefined || batchWindowMs <= 0)) {
    r.report(windowNode!, 'invalid_value', `trigger.batch_window '${batchWindow}' must be a positive ISO 8601 duration such as PT30S`);
  }
  const markerNode = n.get('marker');
  const marker = r.string(markerNode, 'trigger.marker');
  if (marker !== undefined && (marker === '' || /[/\\]/.test(marker))) {
    r.report(markerNode!, 'invalid_value', `trigger.marker '${marker}' must be a file name (such as _SUCCESS), not a path`);
  }
  if (batchWindow !== undefined && marker !== undefined) {
    r.report(markerNode!.keyLoc, 'invalid_value', 'trigger.batch_window and trigger.marker cannot both be set: a batch is either a time window or a folder closed by a marker');
  }
  const maxConcurrentRuns = r.int(n.get('max_concurrent_runs'), 'trigger.max_concurrent_runs', 1);
  if (r.problems.size > 0 || datastore === undefined || glob === undefined) return undefined;
  const trigger: BlobTrigger = { type: 'blob', datastore, path: glob };
  if (batchWindow !== undefined && batchWindowMs !== undefined) Object.assign(trigger, { batchWindow, batchWindowMs });
  if (marker !== undefined) trigger.marker = marker;
  if (maxConcurrentRuns !== undefined) trigger.maxConcurrentRuns = maxConcurrentRuns;
  return trigger;
}

function readJobRef(r: Reader, n: YNode, file: string, what: string): ScheduleJobRef | undefined {
  const text = r.string(n, what);
  if (text === undefined) return undefined;
  if (text.startsWith('azureml:')) {
    const m = REGISTERED.exec(text);
    if (!m) {
      r.report(n, 'invalid_value', `${what} '${text}' is not a job reference (azureml:NAME, azureml:NAME:VERSION or azureml:NAME@LABEL)`);
      return undefined;
    }
    const ref: ScheduleJobRef = { kind: 'registered', ref: text, name: m[1]! };
    if (m[2] !== undefined) ref.version = m[2];
    if (m[3] !== undefined) ref.label = m[3];
    return ref;
  }
  const rel = text.startsWith('file:') ? text.slice('file:'.length) : text;
  if (rel.trim() === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(rel)) {
    r.report(n, 'invalid_value', `${what} '${text}' must be a local job file path or an azureml: reference`);
    return undefined;
  }
  const resolvedPath = path.posix.normalize(path.posix.join(path.dirname(file).split(path.sep).join('/'), rel.split('\\').join('/')));
  return { kind: 'file', path: text, resolvedPath };
}

function readCreateJob(r: Reader, n: YNode, file: string): ScheduleCreateJob | undefined {
  const empty = { inputs: {}, outputs: {}, settings: {}, tags: {} };
  if (n.kind === 'scalar') {
    const job = readJobRef(r, n, file, 'create_job');
    return job ? { job, ...empty } : undefined;
  }
  if (!r.isMap(n, 'create_job')) return undefined;
  r.checkKeys(n, CREATE_JOB_KEYS, 'create_job');
  const jobNode = n.get('job');
  let job: ScheduleJobRef | undefined;
  if (!jobNode || jobNode.kind === 'null') {
    r.missing(n, 'job', ' (a job file path or an azureml: reference; inline job definitions are not supported)');
  } else {
    job = readJobRef(r, jobNode, file, 'create_job.job');
  }
  const typeNode = n.get('type');
  const type = r.string(typeNode, 'create_job.type');
  if (type !== undefined && type !== 'pipeline' && type !== 'command') {
    r.report(typeNode!, 'unsupported_job_type', `create_job.type '${type}' is not supported by this product (pipeline or command)`);
  }
  const createJob: ScheduleCreateJob = {
    job: job ?? { kind: 'file', path: '', resolvedPath: '' },
    inputs: readValues(r, n.get('inputs'), 'create_job.inputs'),
    outputs: readValues(r, n.get('outputs'), 'create_job.outputs'),
    settings: readSettings(r, n.get('settings')),
    tags: r.stringMap(n.get('tags'), 'create_job.tags'),
  };
  if (type === 'pipeline' || type === 'command') createJob.type = type;
  const optional: [keyof ScheduleCreateJob & string, string][] = [
    ['displayName', 'display_name'],
    ['description', 'description'],
    ['experimentName', 'experiment_name'],
    ['compute', 'compute'],
  ];
  for (const [prop, key] of optional) {
    const v = r.text(n.get(key), `create_job.${key}`);
    if (v !== undefined) Object.assign(createJob, { [prop]: v });
  }
  return job ? createJob : undefined;
}

/** Input and output overrides: a literal, or a mapping of literals (`type`, `path`, `mode`). */
function readValues(r: Reader, n: YNode | undefined, what: string): Record<string, ScheduleInputValue> {
  const out: Record<string, ScheduleInputValue> = {};
  if (!n || n.kind === 'null' || !r.isMap(n, what)) return out;
  for (const [key, child] of n.entries()) {
    if (child.kind === 'map') {
      const obj: Record<string, LiteralValue> = {};
      for (const [field, v] of child.entries()) {
        const lit = r.literal(v, `${what}.${key}.${field}`);
        if (lit !== undefined) obj[field] = lit;
      }
      out[key] = obj;
    } else if (child.kind === 'null') {
      r.report(child, 'invalid_value', `${what}.${key} has no value`);
    } else {
      const lit = r.literal(child, `${what}.${key}`);
      if (lit !== undefined) out[key] = lit;
    }
  }
  return out;
}

function readSettings(r: Reader, n: YNode | undefined): Record<string, LiteralValue> {
  const out: Record<string, LiteralValue> = {};
  if (!n || n.kind === 'null' || !r.isMap(n, 'create_job.settings')) return out;
  for (const [key, child] of n.entries()) {
    if (child.kind === 'null') continue;
    const lit = r.literal(child, `create_job.settings.${key}`);
    if (lit !== undefined) out[key] = lit;
  }
  return out;
}

/** Reads and parses a schedule file; with `checkPaths`, a local job file that does not exist is a `missing_path` problem. */
export async function loadScheduleFile(file: string, options: { checkPaths?: boolean } = {}): Promise<ScheduleLoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing_path' : 'unreadable_file';
    return { problems: [{ code, file, line: 1, column: 1, path: '', message: `cannot read schedule file: ${(err as Error).message}` }] };
  }
  const result = parseSchedule(text, file);
  const job = result.schedule?.createJob.job;
  if ((options.checkPaths ?? true) && result.schedule && job?.kind === 'file') {
    const exists = await stat(job.resolvedPath).then((s) => s.isFile(), () => false);
    if (!exists) {
      const at = locateCreateJob(text, file);
      return { problems: [{ ...at, code: 'missing_path', message: `local file ${job.resolvedPath} named by create_job does not exist` }] };
    }
  }
  return result;
}

function locateCreateJob(text: string, file: string): SourceLocation {
  const probe = new Problems();
  const root = parseYaml(file, text, probe)!.root;
  const n = root.get('create_job')!;
  return n.kind === 'map' ? n.get('job')!.loc : n.loc;
}

/** The schedule, or one ValidationError carrying every problem (`details.problems`). */
export function scheduleOrThrow(result: ScheduleLoadResult): Schedule {
  if (result.schedule) return result.schedule;
  throw problemsToError(result.problems);
}
