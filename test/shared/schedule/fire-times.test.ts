import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Cron } from 'croner';
import { fireTimesBetween, nextFireTimes } from '../../../shared/schedule/fire-times';
import type { RecurrenceTrigger, Schedule, TimeTrigger } from '../../../shared/spec/schedule';
import { loadScheduleFile, parseSchedule } from '../../../shared/spec/schedule-load';
import { amlExampleSchedules, scheduleFixtures } from '../../_helpers/schedule/paths';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));

async function fixture(dir: string, name: string): Promise<Schedule> {
  const { schedule, problems } = await loadScheduleFile(path.join(dir, name));
  assert.deepEqual(problems, []);
  return schedule!;
}

/** Local wall time as `HH:MM` in a zone, to state expectations the way a person reads them. */
function local(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

function trigger(partial: Partial<RecurrenceTrigger> & Pick<RecurrenceTrigger, 'frequency' | 'interval'>): RecurrenceTrigger {
  return { type: 'recurrence', timeZone: 'UTC', ianaTimeZone: 'UTC', catchUp: 'latest', ...partial };
}

describe('cron fire times: hourly in Pacific Standard Time (azureml-examples cron-job-schedule.yml)', () => {
  it('spring forward (8 March 2026): 02:00 does not exist, so the fire lands at 03:00 PDT once', async () => {
    const s = await fixture(amlExampleSchedules, 'cron-job-schedule.yml');
    const fires = nextFireTimes(s, new Date('2026-03-08T07:30:00Z'), 6);
    assert.deepEqual(iso(fires), ['2026-03-08T08:00:00Z', '2026-03-08T09:00:00Z', '2026-03-08T10:00:00Z', '2026-03-08T11:00:00Z', '2026-03-08T12:00:00Z', '2026-03-08T13:00:00Z']);
    assert.deepEqual(fires.map((d) => local(d, 'America/Los_Angeles')), ['00:00', '01:00', '03:00', '04:00', '05:00', '06:00']);
  });

  it('fall back (1 November 2026): the repeated 01:00 fires once, at its first (PDT) occurrence', async () => {
    const s = await fixture(amlExampleSchedules, 'cron-job-schedule.yml');
    const fires = nextFireTimes(s, new Date('2026-11-01T06:30:00Z'), 4);
    assert.deepEqual(iso(fires), ['2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z', '2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z']);
    assert.deepEqual(fires.map((d) => local(d, 'America/Los_Angeles')), ['00:00', '01:00', '02:00', '03:00']);
  });

  it('a local day fires once per wall-clock hour: 23 on the short day, 24 on the long day', async () => {
    const s = await fixture(amlExampleSchedules, 'cron-job-schedule.yml');
    // (from, to]: local midnight excluded, next local midnight included, so subtract one.
    assert.equal(fireTimesBetween(s, new Date('2026-03-08T08:00:00Z'), new Date('2026-03-09T07:00:00Z')).length - 1, 22);
    assert.equal(fireTimesBetween(s, new Date('2026-03-08T07:59:00Z'), new Date('2026-03-09T06:59:00Z')).length, 23);
    assert.equal(fireTimesBetween(s, new Date('2026-11-01T06:59:00Z'), new Date('2026-11-02T07:59:00Z')).length, 24);
  });

  it('differs from croner used directly, which fires a wildcard-hour job twice in the repeated hour', () => {
    const direct = new Cron('0 * * * *', { timezone: 'America/Los_Angeles' }).nextRuns(3, new Date('2026-11-01T07:30:00Z'));
    assert.deepEqual(iso(direct), ['2026-11-01T08:00:00Z', '2026-11-01T09:00:00Z', '2026-11-01T10:00:00Z']);
  });

  it('start_time without an offset is wall time in the schedule zone', async () => {
    const s = await fixture(amlExampleSchedules, 'cron-with-settings-job-schedule.yml');
    assert.deepEqual(iso(nextFireTimes(s, new Date('2022-07-01T00:00:00Z'), 2)), ['2022-07-10T17:00:00Z', '2022-07-10T18:00:00Z']);
  });
});

describe('cron fire times: fixed times across DST (America/New_York)', () => {
  const at = (expression: string, extra = ''): Schedule =>
    parseSchedule(`name: s\ntrigger:\n  type: cron\n  expression: "${expression}"\n  time_zone: America/New_York\n${extra}create_job: azureml:j\n`, 'x.yml').schedule!;

  it('02:30 on the spring-forward day fires at 03:00 EDT, the first instant after the gap', async () => {
    const s = await fixture(scheduleFixtures, 'cron-utc-skip.yml');
    const fires = nextFireTimes(s, new Date('2026-03-07T00:00:00Z'), 3);
    assert.deepEqual(iso(fires), ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
    assert.deepEqual(fires.map((d) => local(d, 'America/New_York')), ['02:30', '03:00', '02:30']);
  });

  it('01:30 on the fall-back day fires once (EDT), not again an hour later (EST)', () => {
    assert.deepEqual(iso(nextFireTimes(at('30 1 * * *'), new Date('2026-10-31T12:00:00Z'), 3)), ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z', '2026-11-03T06:30:00Z']);
  });

  it('every 15 minutes: the gap collapses into one fire at 03:00, the repeated hour is walked once', () => {
    const spring = fireTimesBetween(at('*/15 * * * *'), new Date('2026-03-08T06:40:00Z'), new Date('2026-03-08T07:20:00Z'));
    assert.deepEqual(iso(spring), ['2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:15:00Z']);
    const fall = fireTimesBetween(at('*/15 * * * *'), new Date('2026-11-01T04:50:00Z'), new Date('2026-11-01T07:00:00Z'));
    assert.deepEqual(fall.map((d) => local(d, 'America/New_York')), ['01:00', '01:15', '01:30', '01:45', '02:00']);
    assert.deepEqual(iso(fall).slice(3), ['2026-11-01T05:45:00Z', '2026-11-01T07:00:00Z']);
  });

  it('honours start_time and end_time (inclusive), with explicit offsets', () => {
    const s = at('0 12 * * *', '  start_time: "2026-05-02T12:00:00-04:00"\n  end_time: "2026-05-04T16:00:00Z"\n');
    assert.deepEqual(iso(nextFireTimes(s, new Date('2026-01-01T00:00:00Z'), 10)), ['2026-05-02T16:00:00Z', '2026-05-03T16:00:00Z', '2026-05-04T16:00:00Z']);
    assert.deepEqual(nextFireTimes(s, new Date('2026-05-04T16:00:00Z'), 1), []);
  });
});

describe('recurrence fire times: hours [4,5,10,11,12] × minutes [0,30] (azureml-examples recurrence-job-schedule.yml)', () => {
  const pattern = ['04:00', '04:30', '05:00', '05:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30'];

  it('fires at the same wall times on both sides of the March change', async () => {
    const s = await fixture(amlExampleSchedules, 'recurrence-job-schedule.yml');
    const fires = fireTimesBetween(s, new Date('2026-03-07T08:00:00Z'), new Date('2026-03-09T07:00:00Z'));
    assert.equal(fires.length, 20);
    assert.deepEqual(fires.map((d) => local(d, 'America/Los_Angeles')), [...pattern, ...pattern]);
    assert.equal(iso(fires)[0], '2026-03-07T12:00:00Z');
    assert.equal(iso(fires)[10], '2026-03-08T11:00:00Z');
  });

  it('and across the November change', async () => {
    const s = await fixture(amlExampleSchedules, 'recurrence-job-schedule.yml');
    const fires = fireTimesBetween(s, new Date('2026-10-31T07:00:00Z'), new Date('2026-11-02T08:00:00Z'));
    assert.deepEqual(fires.map((d) => local(d, 'America/Los_Angeles')), [...pattern, ...pattern]);
    assert.equal(iso(fires)[0], '2026-10-31T11:00:00Z');
    assert.equal(iso(fires)[10], '2026-11-01T12:00:00Z');
  });

  it('starts at start_time: the first day fires only from 10:00 on', async () => {
    const s = await fixture(amlExampleSchedules, 'recurrence-job-schedule.yml');
    assert.deepEqual(iso(nextFireTimes(s, new Date('2022-07-01T00:00:00Z'), 7)), [
      '2022-07-10T17:00:00Z',
      '2022-07-10T17:30:00Z',
      '2022-07-10T18:00:00Z',
      '2022-07-10T18:30:00Z',
      '2022-07-10T19:00:00Z',
      '2022-07-10T19:30:00Z',
      '2022-07-11T11:00:00Z',
    ]);
  });
});

describe('recurrence fire times: frequencies and intervals', () => {
  it('minute: every 15 minutes counted from start_time', () => {
    const t = trigger({ frequency: 'minute', interval: 15, startTime: '2026-01-01T00:07:00' });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-01-01T01:00:00Z'), 3)), ['2026-01-01T01:07:00Z', '2026-01-01T01:22:00Z', '2026-01-01T01:37:00Z']);
    assert.deepEqual(iso(nextFireTimes(t, new Date('2025-12-31T00:00:00Z'), 1)), ['2026-01-01T00:07:00Z']);
  });

  it('hour: elapsed hours, unaffected by a DST change', () => {
    const t = trigger({ frequency: 'hour', interval: 2, startTime: '2026-03-07T23:00:00', timeZone: 'Pacific Standard Time', ianaTimeZone: 'America/Los_Angeles' });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-03-08T07:00:00Z'), 3)), ['2026-03-08T09:00:00Z', '2026-03-08T11:00:00Z', '2026-03-08T13:00:00Z']);
  });

  it('day without a schedule: the start wall time every other day; in the gap, at its end', () => {
    const t = trigger({ frequency: 'day', interval: 2, startTime: '2026-03-06T02:30:00', timeZone: 'Pacific Standard Time', ianaTimeZone: 'America/Los_Angeles' });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-03-01T00:00:00Z'), 3)), ['2026-03-06T10:30:00Z', '2026-03-08T10:00:00Z', '2026-03-10T09:30:00Z']);
  });

  it('week with week_days, every second week, until end_time (W. Europe Standard Time)', async () => {
    const s = await fixture(scheduleFixtures, 'recurrence-weekly.yml');
    const fires = fireTimesBetween(s, new Date('2025-12-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z'));
    assert.deepEqual(
      fires.map((d) => d.toISOString().slice(0, 10)),
      ['2026-01-05', '2026-01-09', '2026-01-19', '2026-01-23', '2026-02-02', '2026-02-06', '2026-02-16', '2026-02-20', '2026-03-02', '2026-03-06', '2026-03-16', '2026-03-20', '2026-03-30'],
    );
    assert.ok(fires.every((d) => local(d, 'Europe/Berlin') === '09:15'));
    assert.equal(iso(fires)[0], '2026-01-05T08:15:00Z');
    assert.equal(iso(fires).at(-1), '2026-03-30T07:15:00Z');
  });

  it('week without week_days: the start day\'s weekday', () => {
    const t = trigger({ frequency: 'week', interval: 1, startTime: '2026-01-07T00:00:00', schedule: { hours: [8], minutes: [0] } });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 2)), ['2026-01-07T08:00:00Z', '2026-01-14T08:00:00Z']);
  });

  it('month with month_days: days a month lacks are skipped', () => {
    const t = trigger({ frequency: 'month', interval: 1, startTime: '2026-01-01T00:00:00', schedule: { hours: [6], minutes: [0], monthDays: [15, 31] } });
    assert.deepEqual(
      iso(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 6)).map((s) => s.slice(0, 10)),
      ['2026-01-15', '2026-01-31', '2026-02-15', '2026-03-15', '2026-03-31', '2026-04-15'],
    );
  });

  it('month without a schedule: the start day, or the last day of a shorter month', () => {
    const t = trigger({ frequency: 'month', interval: 1, startTime: '2026-01-31T12:00:00' });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 4)), ['2026-01-31T12:00:00Z', '2026-02-28T12:00:00Z', '2026-03-31T12:00:00Z', '2026-04-30T12:00:00Z']);
  });

  it('month every 3 months from the start month', () => {
    const t = trigger({ frequency: 'month', interval: 3, startTime: '2026-02-10T00:00:00', schedule: { hours: [1], minutes: [0], monthDays: [1] } });
    assert.deepEqual(iso(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 3)), ['2026-05-01T01:00:00Z', '2026-08-01T01:00:00Z', '2026-11-01T01:00:00Z']);
  });

  it('without start_time, counts from createdTime when given', () => {
    const t = trigger({ frequency: 'day', interval: 3 });
    const createdTime = new Date('2026-06-10T09:45:00Z');
    assert.deepEqual(iso(nextFireTimes(t, createdTime, 2, { createdTime })), ['2026-06-13T09:45:00Z', '2026-06-16T09:45:00Z']);
  });

  it('never fires when no month ever has the day', () => {
    const t = trigger({ frequency: 'month', interval: 12, startTime: '2026-02-01T00:00:00', schedule: { hours: [0], minutes: [0], monthDays: [30] } });
    assert.deepEqual(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 1), []);
  });
});

describe('fire times: other triggers and edges', () => {
  it('a blob trigger has no fire times', () => {
    const blob: Schedule['trigger'] = { type: 'blob', datastore: 'ds', path: '*' };
    assert.deepEqual(nextFireTimes(blob, new Date(0), 3), []);
    assert.deepEqual(fireTimesBetween(blob, new Date(0), new Date()), []);
  });

  it('count 0 gives nothing; fireTimesBetween is (from, to]', () => {
    const t: TimeTrigger = { type: 'cron', expression: '0 * * * *', timeZone: 'UTC', ianaTimeZone: 'UTC', catchUp: 'latest' };
    assert.deepEqual(nextFireTimes(t, new Date('2026-01-01T00:00:00Z'), 0), []);
    assert.deepEqual(iso(fireTimesBetween(t, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T02:00:00Z'))), ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z']);
  });
});
