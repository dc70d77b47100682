import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIsoDuration } from '../../../shared/schedule/duration';
import { toIanaTimeZone } from '../../../shared/schedule/time-zone';

describe('time zone names', () => {
  it('maps the Windows names Azure ML documents to IANA zones', () => {
    assert.equal(toIanaTimeZone('Pacific Standard Time'), 'America/Los_Angeles');
    assert.equal(toIanaTimeZone('Eastern Standard Time'), 'America/New_York');
    assert.equal(toIanaTimeZone('W. Europe Standard Time'), 'Europe/Berlin');
    assert.equal(toIanaTimeZone('Tokyo Standard Time'), 'Asia/Tokyo');
    assert.ok(['Asia/Calcutta', 'Asia/Kolkata'].includes(toIanaTimeZone('India Standard Time')!));
  });

  it('accepts UTC spellings and IANA names', () => {
    assert.equal(toIanaTimeZone('UTC'), 'UTC');
    assert.equal(toIanaTimeZone('Coordinated Universal Time'), 'UTC');
    assert.equal(toIanaTimeZone(' America/Los_Angeles '), 'America/Los_Angeles');
  });

  it('refuses unknown names', () => {
    assert.equal(toIanaTimeZone('Mars Standard Time'), undefined);
    assert.equal(toIanaTimeZone('Europe/Atlantis'), undefined);
  });
});

describe('ISO 8601 durations', () => {
  it('parses days, hours, minutes, seconds and weeks', () => {
    assert.equal(parseIsoDuration('PT30S'), 30_000);
    assert.equal(parseIsoDuration('PT5M'), 300_000);
    assert.equal(parseIsoDuration('PT1H30M'), 5_400_000);
    assert.equal(parseIsoDuration('P1D'), 86_400_000);
    assert.equal(parseIsoDuration('P1W'), 7 * 86_400_000);
    assert.equal(parseIsoDuration('PT0.5S'), 500);
    assert.equal(parseIsoDuration('pt10s'), 10_000);
  });

  it('refuses non-durations and variable-length units', () => {
    for (const bad of ['30s', 'P', 'PT', 'P1M2', 'P1Y', '', 'PT-5S']) assert.equal(parseIsoDuration(bad), undefined, bad);
  });
});
