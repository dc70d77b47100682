import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromWall, instantOf, offsetAt, parseDateTime, toWall, wallFields } from '../../../shared/schedule/wall-clock';

const LA = 'America/Los_Angeles';
const wall = (s: string): number => Date.parse(`${s}Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('wall clock', () => {
  it('toWall and offsetAt follow the zone rules', () => {
    assert.equal(iso(toWall(LA, Date.parse('2026-01-15T20:00:00Z'))), '2026-01-15T12:00:00.000Z');
    assert.equal(offsetAt(LA, Date.parse('2026-01-15T20:00:00Z')), -8 * 3_600_000);
    assert.equal(offsetAt(LA, Date.parse('2026-07-15T20:00:00Z')), -7 * 3_600_000);
    assert.equal(toWall('UTC', 123), 123);
    assert.equal(toWall('Asia/Kolkata', Date.parse('2026-01-01T00:00:00Z')), wall('2026-01-01T05:30:00'));
  });

  it('fromWall: a plain wall time maps to its single instant', () => {
    assert.equal(iso(fromWall(LA, wall('2026-07-04T09:00:00'))), '2026-07-04T16:00:00.000Z');
  });

  it('fromWall: a repeated wall time (fall back) maps to its first occurrence', () => {
    assert.equal(iso(fromWall(LA, wall('2026-11-01T01:30:00'))), '2026-11-01T08:30:00.000Z');
  });

  it('fromWall: a wall time in the spring-forward gap maps to the transition (03:00 PDT)', () => {
    assert.equal(iso(fromWall(LA, wall('2026-03-08T02:00:00'))), '2026-03-08T10:00:00.000Z');
    assert.equal(iso(fromWall(LA, wall('2026-03-08T02:59:00'))), '2026-03-08T10:00:00.000Z');
    assert.equal(iso(fromWall(LA, wall('2026-03-08T03:00:00'))), '2026-03-08T10:00:00.000Z');
  });

  it('fromWall: half-hour zones (Lord Howe shifts by 30 minutes)', () => {
    // Lord Howe: clocks go 02:00 -> 02:30 on 2026-10-04.
    assert.equal(iso(fromWall('Australia/Lord_Howe', wall('2026-10-04T02:15:00'))), '2026-10-03T15:30:00.000Z');
  });

  it('parseDateTime reads ISO 8601 with or without an offset, and refuses impossible dates', () => {
    assert.deepEqual(parseDateTime('2022-07-10T10:00:00'), { wallMs: wall('2022-07-10T10:00:00') });
    assert.deepEqual(parseDateTime('2022-07-10T10:00:00Z'), { wallMs: wall('2022-07-10T10:00:00'), offsetMs: 0 });
    assert.deepEqual(parseDateTime('2022-07-10T10:00:00+05:30'), { wallMs: wall('2022-07-10T10:00:00'), offsetMs: 5.5 * 3_600_000 });
    assert.deepEqual(parseDateTime('2022-07-10 10:00'), { wallMs: wall('2022-07-10T10:00:00') });
    assert.deepEqual(parseDateTime('2022-07-10'), { wallMs: wall('2022-07-10T00:00:00') });
    assert.equal(parseDateTime('2022-02-29T00:00:00'), undefined);
    assert.equal(parseDateTime('2022-07-10T24:00:00'), undefined);
    assert.equal(parseDateTime('July 10'), undefined);
  });

  it('instantOf: an offset wins over the zone; without one the zone applies', () => {
    assert.equal(iso(instantOf('2026-01-15T12:00:00', LA)!), '2026-01-15T20:00:00.000Z');
    assert.equal(iso(instantOf('2026-01-15T12:00:00-05:00', LA)!), '2026-01-15T17:00:00.000Z');
    assert.equal(instantOf('nope', LA), undefined);
  });

  it('wallFields splits a wall value', () => {
    assert.deepEqual(wallFields(wall('2026-03-08T02:30:15')), { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 15, weekday: 0 });
  });
});
