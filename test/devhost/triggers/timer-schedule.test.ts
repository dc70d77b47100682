import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchedule, resolveTimeZone } from '../../../devhost/triggers/timer-schedule';

test('six-field NCRONTAB with seconds, in UTC by default', () => {
  const s = parseSchedule('*/15 * * * * *', undefined, 'f');
  assert.equal(s.next(new Date('2026-01-01T00:00:01Z'))?.toISOString(), '2026-01-01T00:00:15.000Z');
  const daily = parseSchedule('0 30 9 * * 1-5', undefined, 'f');
  assert.equal(daily.next(new Date('2026-01-03T00:00:00Z'))?.toISOString(), '2026-01-05T09:30:00.000Z'); // Saturday → Monday
});

test('WEBSITE_TIME_ZONE accepts IANA and Windows names', () => {
  assert.equal(resolveTimeZone('Europe/Paris'), 'Europe/Paris');
  assert.equal(resolveTimeZone('Eastern Standard Time'), 'America/New_York');
  assert.equal(resolveTimeZone(undefined), undefined);
  assert.throws(() => resolveTimeZone('Nowhere Time'), /WEBSITE_TIME_ZONE: 'Nowhere Time'/);
  const ny = parseSchedule('0 0 9 * * *', 'America/New_York', 'f');
  assert.equal(ny.next(new Date('2026-01-05T00:00:00Z'))?.toISOString(), '2026-01-05T14:00:00.000Z');
});

test('bad expressions name the function', () => {
  assert.throws(() => parseSchedule('every minute', undefined, "function 'tick' schedule"), /function 'tick' schedule: 'every minute' is not an NCRONTAB expression/);
  assert.throws(() => parseSchedule('99 * * * * *', undefined, "function 'tick' schedule"), /function 'tick' schedule: '99 \* \* \* \* \*' is not a valid NCRONTAB/);
});
