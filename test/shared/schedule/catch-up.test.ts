import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATCH_UP_ALL_LIMIT, catchUpFireTimes } from '../../../shared/schedule/catch-up';
import type { CatchUpPolicy, CronTrigger } from '../../../shared/spec/schedule';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));
const hourly = (catchUp: CatchUpPolicy, ianaTimeZone = 'UTC'): CronTrigger => ({ type: 'cron', expression: '0 * * * *', timeZone: ianaTimeZone, ianaTimeZone, catchUp });
const T = (s: string): Date => new Date(s);

describe('catch-up after downtime (host down from 10:00 to 13:00:30, hourly schedule)', () => {
  const input = { lastFired: T('2026-05-01T10:00:00Z'), now: T('2026-05-01T13:00:30Z') };

  it('skip: only the on-time fire time starts', () => {
    const d = catchUpFireTimes(hourly('skip'), input);
    assert.deepEqual(iso(d.start), ['2026-05-01T13:00:00Z']);
    assert.equal(d.skipped, 2);
    assert.equal(d.handledUpTo?.toISOString(), '2026-05-01T13:00:00.000Z');
  });

  it('latest: an on-time fire time supersedes the missed ones', () => {
    const d = catchUpFireTimes(hourly('latest'), input);
    assert.deepEqual(iso(d.start), ['2026-05-01T13:00:00Z']);
    assert.equal(d.skipped, 2);
  });

  it('all: every missed one, then the on-time one', () => {
    const d = catchUpFireTimes(hourly('all'), input);
    assert.deepEqual(iso(d.start), ['2026-05-01T11:00:00Z', '2026-05-01T12:00:00Z', '2026-05-01T13:00:00Z']);
    assert.equal(d.skipped, 0);
  });
});

describe('catch-up when every due fire time is past the grace period (now 13:30)', () => {
  const input = { lastFired: T('2026-05-01T10:00:00Z'), now: T('2026-05-01T13:30:00Z') };

  it('skip starts nothing and records three skipped', () => {
    const d = catchUpFireTimes(hourly('skip'), input);
    assert.deepEqual(d.start, []);
    assert.equal(d.skipped, 3);
    assert.equal(d.handledUpTo?.toISOString(), '2026-05-01T13:00:00.000Z');
  });

  it('latest starts the most recent missed one', () => {
    const d = catchUpFireTimes(hourly('latest'), input);
    assert.deepEqual(iso(d.start), ['2026-05-01T13:00:00Z']);
    assert.equal(d.skipped, 2);
  });

  it('all starts the three', () => {
    assert.deepEqual(iso(catchUpFireTimes(hourly('all'), input).start), ['2026-05-01T11:00:00Z', '2026-05-01T12:00:00Z', '2026-05-01T13:00:00Z']);
  });

  it('a policy passed in overrides the schedule', () => {
    assert.deepEqual(catchUpFireTimes(hourly('all'), { ...input, policy: 'skip' }).start, []);
  });
});

describe('catch-up bounds and edges', () => {
  it(`all is bounded to the ${CATCH_UP_ALL_LIMIT} most recent missed fire times`, () => {
    const d = catchUpFireTimes(hourly('all'), { lastFired: T('2026-05-01T00:00:00Z'), now: T('2026-05-04T00:30:00Z') });
    assert.equal(d.start.length, CATCH_UP_ALL_LIMIT);
    assert.equal(d.skipped, 72 - CATCH_UP_ALL_LIMIT);
    assert.equal(iso(d.start).at(-1), '2026-05-04T00:00:00Z');
    assert.equal(iso(d.start)[0], '2026-05-01T23:00:00Z');
  });

  it('a custom limit applies', () => {
    const d = catchUpFireTimes(hourly('all'), { lastFired: T('2026-05-01T00:00:00Z'), now: T('2026-05-01T05:30:00Z'), limit: 2 });
    assert.deepEqual(iso(d.start), ['2026-05-01T04:00:00Z', '2026-05-01T05:00:00Z']);
    assert.equal(d.skipped, 3);
  });

  it('missed times beyond the lookback are dropped and flagged, not enumerated', () => {
    const d = catchUpFireTimes(hourly('all'), { lastFired: T('2026-01-01T00:00:00Z'), now: T('2026-01-11T00:30:00Z'), lookbackMs: 86_400_000 });
    assert.equal(d.start.length, 24);
    assert.equal(iso(d.start)[0], '2026-01-10T01:00:00Z');
    assert.equal(d.skipped, 0);
    assert.equal(d.skippedBeforeLookback, true);
    const recent = catchUpFireTimes(hourly('all'), { lastFired: T('2026-01-10T00:00:00Z'), now: T('2026-01-11T00:30:00Z'), lookbackMs: 2 * 86_400_000 });
    assert.equal(recent.skippedBeforeLookback, undefined);
  });

  it('a year-long outage of an every-minute schedule is decided from the lookback alone', () => {
    const everyMinute: CronTrigger = { ...hourly('latest', 'America/Los_Angeles'), expression: '* * * * *' };
    const d = catchUpFireTimes(everyMinute, { lastFired: T('2025-01-01T00:00:00Z'), now: T('2026-01-01T00:00:30Z'), lookbackMs: 3_600_000, graceMs: 0 });
    assert.deepEqual(iso(d.start), ['2026-01-01T00:00:00Z']);
    assert.equal(d.skipped, 59);
    assert.equal(d.skippedBeforeLookback, true);
  });

  it('nothing due: nothing started, nothing handled', () => {
    const d = catchUpFireTimes(hourly('all'), { lastFired: T('2026-05-01T10:00:00Z'), now: T('2026-05-01T10:59:59Z') });
    assert.deepEqual(d, { start: [], skipped: 0 });
  });

  it('a new schedule (lastFired = creation time) does not fire at creation', () => {
    const created = T('2026-05-01T10:20:00Z');
    assert.deepEqual(catchUpFireTimes(hourly('latest'), { lastFired: created, now: created }).start, []);
    assert.deepEqual(iso(catchUpFireTimes(hourly('latest'), { lastFired: created, now: T('2026-05-01T11:00:10Z') }).start), ['2026-05-01T11:00:00Z']);
  });

  it('a host stopped over three fire times across the fall-back change catches up per policy (Pacific)', () => {
    const input = { lastFired: T('2026-11-01T07:00:00Z'), now: T('2026-11-01T11:30:00Z') };
    const all = catchUpFireTimes(hourly('all', 'America/Los_Angeles'), input);
    assert.deepEqual(iso(all.start), ['2026-11-01T08:00:00Z', '2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z']);
    assert.deepEqual(iso(catchUpFireTimes(hourly('latest', 'America/Los_Angeles'), input).start), ['2026-11-01T11:00:00Z']);
    assert.deepEqual(catchUpFireTimes(hourly('skip', 'America/Los_Angeles'), input).start, []);
  });

  it('blob triggers have nothing to catch up', () => {
    assert.deepEqual(catchUpFireTimes({ type: 'blob', datastore: 'd', path: '*' }, { lastFired: T('2026-01-01T00:00:00Z'), now: T('2026-02-01T00:00:00Z') }), { start: [], skipped: 0 });
  });
});
