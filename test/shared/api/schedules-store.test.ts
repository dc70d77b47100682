import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SchedulesStore } from '../../../shared/api/schedules-store';
import { SqliteStateStore } from '../../../shared/state/sqlite';

function store(clock: { now: Date }) {
  return new SchedulesStore<{ every: string }>(new SqliteStateStore(new Database(':memory:')), () => clock.now);
}

test('apply creates, then replaces keeping the creation time; the bundle follows the latest apply', async () => {
  const clock = { now: new Date('2026-01-01T00:00:00Z') };
  const s = store(clock);
  const first = await s.apply('nightly', { source: 'a', definition: { every: 'day' }, bundle: { entry: 'p.yml' } });
  assert.equal(first.created, true);
  assert.equal(first.schedule.enabled, true);
  clock.now = new Date('2026-01-02T00:00:00Z');
  const second = await s.apply('nightly', { source: 'b', definition: { every: 'hour' } });
  assert.equal(second.created, false);
  assert.equal(second.schedule.createdTime, '2026-01-01T00:00:00.000Z');
  assert.equal(second.schedule.updatedTime, '2026-01-02T00:00:00.000Z');
  assert.equal(second.schedule.bundle, undefined);
  assert.deepEqual((await s.get('nightly'))?.definition, { every: 'hour' });
});

test('enable/disable and delete report unknown schedules; list is sorted by name', async () => {
  const s = store({ now: new Date('2026-01-01T00:00:00Z') });
  await s.apply('b', { source: 'b', definition: { every: 'day' } });
  await s.apply('a', { source: 'a', definition: { every: 'day' }, enabled: false });
  assert.deepEqual((await s.list()).map((x) => [x.name, x.enabled]), [['a', false], ['b', true]]);
  assert.equal((await s.setEnabled('a', true))?.enabled, true);
  assert.equal(await s.setEnabled('zzz', true), undefined);
  assert.equal(await s.delete('a'), true);
  assert.equal(await s.delete('a'), false);
  assert.deepEqual((await s.list()).map((x) => x.name), ['b']);
});
