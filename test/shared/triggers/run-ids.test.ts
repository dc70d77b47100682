import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchRunId, blobRunId, isValidRunId, markerRunId, MAX_RUN_ID_LENGTH, timerRunId } from '../../../shared/triggers/run-ids';

const url = 'https://mlstore.blob.core.windows.net/data/incoming/a%20b.csv?x=1#frag';
const LONG = 'a'.repeat(200);

describe('derived run ids', () => {
  it('per blob: same URL and eTag give the same id; a new eTag a new one', () => {
    const id = blobRunId('score_new_files', url, '"0x1"');
    assert.match(id, /^score_new_files-blob-[0-9a-f]{16}$/);
    assert.equal(blobRunId('score_new_files', url, '"0x1"'), id);
    assert.notEqual(blobRunId('score_new_files', url, '"0x2"'), id);
    assert.notEqual(blobRunId('other', url, '"0x1"'), blobRunId('score_new_files', url, '"0x1"'));
  });

  it('per batch window: the member set is sorted and deduplicated, the window start is readable', () => {
    const a = { url: 'u/a', etag: '1' };
    const b = { url: 'u/b', etag: '1' };
    const start = new Date('2026-05-01T10:00:03.250Z');
    const id = batchRunId('batches', start, [a, b]);
    assert.match(id, /^batches-batch-20260501T100003Z-[0-9a-f]{12}$/);
    assert.equal(batchRunId('batches', start, [b, a, b]), id);
    assert.notEqual(batchRunId('batches', start, [a]), id);
    assert.notEqual(batchRunId('batches', new Date('2026-05-01T10:00:04Z'), [a, b]), id);
  });

  it('per marker folder: readable folder name plus a hash of the whole folder', () => {
    const id = markerRunId('folders', 'exports/2026-05-01/');
    assert.match(id, /^folders-folder-2026-05-01-[0-9a-f]{12}$/);
    assert.equal(markerRunId('folders', 'exports/2026-05-01/'), id);
    assert.notEqual(markerRunId('folders', 'other/2026-05-01/'), id);
    assert.match(markerRunId('folders', ''), /^folders-folder-root-/);
  });

  it('per fire time: schedule name and compact UTC time', () => {
    assert.equal(timerRunId('nightly', new Date('2026-03-08T10:00:00Z')), 'nightly-20260308T100000Z');
  });

  it('every id is a valid Durable instance id: no / \\ # ?, short, even from hostile names and paths', () => {
    const ids = [
      blobRunId(LONG, url, 'e'),
      batchRunId(`${LONG}/x`, new Date(0), [{ url, etag: 'e' }]),
      markerRunId('s', `exports/${'#?\\'.repeat(30)}/weird folder#1?/`),
      markerRunId(LONG, `${LONG}/`),
      timerRunId('a/b#c?d\\e', new Date(0)),
    ];
    for (const id of ids) {
      assert.ok(isValidRunId(id), id);
      assert.ok(id.length <= MAX_RUN_ID_LENGTH, id);
      assert.doesNotMatch(id, /[/\\#?\s]/);
    }
    assert.ok(ids[0]!.startsWith('a'.repeat(39)));
    assert.notEqual(timerRunId('a/b', new Date(0)), timerRunId('a_b', new Date(0)), 'sanitised names stay distinct');
  });

  it('isValidRunId refuses unsafe ids', () => {
    for (const bad of ['', 'a/b', 'a\\b', 'a#b', 'a?b', '-a', 'x'.repeat(MAX_RUN_ID_LENGTH + 1)]) assert.equal(isValidRunId(bad), false, bad);
  });
});
