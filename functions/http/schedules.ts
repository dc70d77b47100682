/**
 * Schedules, as `az ml schedule`: `PUT /api/schedules/{name}` (create or replace from schedule
 * YAML), `GET /api/schedules` (with next fire times), `DELETE /api/schedules/{name}`,
 * `POST /api/schedules/{name}/enable|disable`. Firing them is the timer and blob triggers' work.
 */
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { parseJsonText } from '../../shared/api/body';
import type { ListPage } from '../../shared/api/contracts';
import { apiHandler, json } from '../../shared/api/respond';
import { SchedulesStore, type StoredSchedule } from '../../shared/api/schedules-store';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { nextFireTimes } from '../../shared/schedule/fire-times';
import { isTimeTrigger, type Schedule } from '../../shared/spec/schedule';
import { parseSchedule, scheduleOrThrow } from '../../shared/spec/schedule-load';
import { getServices } from '../../shared/config/services';

/** What the API shows of a schedule. */
export interface ScheduleView {
  name: string;
  enabled: boolean;
  trigger: Schedule['trigger'];
  job: string;
  nextFireTimes: string[];
  createdTime: string;
  updatedTime: string;
}

const NEXT_FIRE_TIMES = 3;

const applyBody = z.object({
  yaml: z.string().min(1, 'the schedule YAML text is required'),
  bundle: z.unknown().optional(),
}).strict();

export function scheduleView(stored: StoredSchedule<Schedule>, now: Date = new Date()): ScheduleView {
  const s = stored.definition;
  const next = stored.enabled && isTimeTrigger(s.trigger)
    ? nextFireTimes(s, now, NEXT_FIRE_TIMES, { createdTime: new Date(stored.createdTime) }).map((d) => d.toISOString())
    : [];
  const job = s.createJob.job.kind === 'file' ? s.createJob.job.path : s.createJob.job.ref;
  return { name: stored.name, enabled: stored.enabled, trigger: s.trigger, job, nextFireTimes: next, createdTime: stored.createdTime, updatedTime: stored.updatedTime };
}

function store(): SchedulesStore<Schedule> {
  return new SchedulesStore<Schedule>(getServices().state);
}

function nameOf(request: HttpRequest): string {
  return request.params.name ?? '';
}

async function apply(request: HttpRequest) {
  const name = nameOf(request);
  const body = parseJsonText(applyBody, await request.text());
  const schedule = scheduleOrThrow(parseSchedule(body.yaml, `${name}.yml`));
  if (schedule.name !== name) {
    throw new ValidationError('invalid_request', `body.yaml: name '${schedule.name}' does not match the route's '${name}'`, { path: 'body.yaml.name' });
  }
  if (schedule.createJob.job.kind === 'file' && body.bundle === undefined) {
    throw new ValidationError('invalid_request', `body.bundle: create_job.job names the local file '${schedule.createJob.job.path}'; send its pipeline bundle`, { path: 'body.bundle' });
  }
  const { schedule: stored, created } = await store().apply(name, {
    source: body.yaml,
    definition: schedule,
    enabled: schedule.isEnabled,
    ...(schedule.createJob.job.kind === 'file' ? { bundle: body.bundle } : {}),
  });
  return json(created ? 201 : 200, scheduleView(stored));
}

async function list() {
  const body: ListPage<ScheduleView> = { value: (await store().list()).map((s) => scheduleView(s)) };
  return json(200, body);
}

async function show(request: HttpRequest) {
  const stored = await store().get(nameOf(request));
  if (!stored) throw notFound(nameOf(request));
  return json(200, scheduleView(stored));
}

async function remove(request: HttpRequest) {
  if (!(await store().delete(nameOf(request)))) throw notFound(nameOf(request));
  return { status: 204 };
}

function toggle(enabled: boolean) {
  return async (request: HttpRequest) => {
    const stored = await store().setEnabled(nameOf(request), enabled);
    if (!stored) throw notFound(nameOf(request));
    return json(200, scheduleView(stored));
  };
}

function notFound(name: string): NotFoundError {
  return new NotFoundError('schedule_not_found', `schedule '${name}' not found`, { path: 'name' });
}

app.http('schedulesApply', { authLevel: 'function', methods: ['PUT'], route: 'schedules/{name}', handler: apiHandler(apply) });
app.http('schedulesShow', { authLevel: 'function', methods: ['GET'], route: 'schedules/{name}', handler: apiHandler(show) });
app.http('schedulesDelete', { authLevel: 'function', methods: ['DELETE'], route: 'schedules/{name}', handler: apiHandler(remove) });
app.http('schedulesList', { authLevel: 'function', methods: ['GET'], route: 'schedules', handler: apiHandler(list) });
app.http('schedulesEnable', { authLevel: 'function', methods: ['POST'], route: 'schedules/{name}/enable', handler: apiHandler(toggle(true)) });
app.http('schedulesDisable', { authLevel: 'function', methods: ['POST'], route: 'schedules/{name}/disable', handler: apiHandler(toggle(false)) });
