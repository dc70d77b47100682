import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBlobCreatedEvent } from '../../../shared/triggers/blob-event';
import { folderOf, matchBlobEvent } from '../../../shared/triggers/blob-match';
import { blobCreated, blobSchedule, lookup, type EventOptions } from '../../_helpers/triggers/blob-events';

const csv = blobSchedule('score_csv');
const json = blobSchedule('score_json', { path: 'incoming/*.json' });
const folders = blobSchedule('score_folders', { path: 'exports/**/*.parquet', marker: '_SUCCESS' });
const other = blobSchedule('other_store', { datastore: 'archive', path: '**' });
const all = [csv, json, folders, other];

const match = (blobPath: string, o: EventOptions = {}, schedules = all) => matchBlobEvent(parseBlobCreatedEvent(blobCreated(blobPath, o)), schedules, lookup);
const names = (r: ReturnType<typeof match>) => r.matches.map((m) => `${m.schedule.name}:${m.kind}`);

describe('matching BlobCreated events to blob schedules', () => {
  it('matches the glob on the path inside the datastore (picomatch: ** spans folders, * does not)', () => {
    assert.deepEqual(names(match('incoming/2026/05/a.csv')), ['score_csv:data']);
    assert.deepEqual(names(match('incoming/a.json')), ['score_json:data']);
    const deep = match('incoming/x/a.json');
    assert.deepEqual(deep.matches, []);
    assert.deepEqual(deep.filtered, [
      { schedule: 'score_csv', reason: "path 'incoming/x/a.json' does not match 'incoming/**/*.csv'" },
      { schedule: 'score_json', reason: "path 'incoming/x/a.json' does not match 'incoming/*.json'" },
      { schedule: 'score_folders', reason: "path 'incoming/x/a.json' does not match 'exports/**/*.parquet'" },
    ]);
  });

  it('only schedules on the event\'s datastore are considered', () => {
    const r = match('anything.txt', { container: 'other' });
    assert.deepEqual(r, { matches: [], filtered: [{ reason: "no datastore for storage account 'mlstore' container 'other'" }] });
    const none = match('a.csv', {}, [other]);
    assert.deepEqual(none.filtered, [{ reason: "no blob schedule watches datastore 'workspaceblobstore'" }]);
  });

  it('ignores zero-byte blobs', () => {
    const r = match('incoming/a.csv', { contentLength: 0 });
    assert.deepEqual(r.matches, []);
    assert.ok(r.filtered.some((f) => f.schedule === 'score_csv' && f.reason === "zero-byte blob 'incoming/a.csv'"));
  });

  it('ignores non-final ADLS Gen2 writes: CreateFile waits for FlushWithClose', () => {
    assert.deepEqual(match('incoming/a.csv', { api: 'CreateFile', contentLength: 0 }), {
      matches: [],
      filtered: [{ reason: 'not a final write (api CreateFile); waiting for FlushWithClose' }],
    });
    assert.deepEqual(names(match('incoming/a.csv', { api: 'FlushWithClose' })), ['score_csv:data']);
    assert.deepEqual(names(match('incoming/a.csv', { api: 'CopyBlob' })), ['score_csv:data']);
  });

  it('a marker counts even when empty and outside the data glob, under the glob\'s base folder', () => {
    assert.deepEqual(names(match('exports/2026-05-01/_SUCCESS', { contentLength: 0 })), ['score_folders:marker']);
    assert.deepEqual(names(match('exports/2026-05-01/part-0.parquet')), ['score_folders:data']);
    assert.deepEqual(names(match('elsewhere/_SUCCESS', { contentLength: 0 })), []);
    assert.deepEqual(names(match('exports/2026-05-01/part-1.parquet', { contentLength: 0 })), []);
  });

  it('a disabled schedule is filtered with its reason', () => {
    const off = blobSchedule('off', {}, { isEnabled: false });
    assert.deepEqual(match('incoming/a.csv', {}, [off]), { matches: [], filtered: [{ schedule: 'off', reason: 'schedule is disabled' }] });
  });

  it('one event can start several schedules', () => {
    const twin = blobSchedule('score_csv_too', { path: 'incoming/**' });
    assert.deepEqual(names(match('incoming/a.csv', {}, [csv, twin])), ['score_csv:data', 'score_csv_too:data']);
  });

  it('folderOf', () => {
    assert.equal(folderOf('a/b/c.csv'), 'a/b/');
    assert.equal(folderOf('c.csv'), '');
  });
});
