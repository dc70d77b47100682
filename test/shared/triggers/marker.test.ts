import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideMarker, markerBatchMembers } from '../../../shared/triggers/marker';
import { markerRunId } from '../../../shared/triggers/run-ids';
import { blobSchedule } from '../../_helpers/triggers/blob-events';

describe('marker batches (_SUCCESS)', () => {
  it('data files are coalesced into their folder\'s run; the marker starts it; both know the same run id', () => {
    const data = decideMarker('folders', 'data', 'exports/2026-05-01/part-0.parquet');
    const marker = decideMarker('folders', 'marker', 'exports/2026-05-01/_SUCCESS');
    assert.deepEqual(data, { action: 'coalesce', folder: 'exports/2026-05-01/', runId: markerRunId('folders', 'exports/2026-05-01/') });
    assert.deepEqual(marker, { action: 'start', folder: 'exports/2026-05-01/', runId: data.runId });
    assert.notEqual(decideMarker('folders', 'marker', 'exports/2026-05-02/_SUCCESS').runId, data.runId);
  });

  it('a folder\'s members come from its listing: matching, non-empty, not the marker, sorted', () => {
    const trigger = blobSchedule('folders', { path: 'exports/**/*.parquet', marker: '_SUCCESS' }).trigger;
    const listing = [
      { path: 'exports/d/part-1.parquet', size: 10 },
      { path: 'exports/d/_SUCCESS', size: 0 },
      { path: 'exports/d/sub/part-0.parquet', size: 5 },
      { path: 'exports/d/empty.parquet', size: 0 },
      { path: 'exports/d/readme.txt', size: 3 },
      { path: 'exports/d2/part-9.parquet', size: 3 },
      { path: 'exports/d/part-0.parquet', size: 10 },
    ];
    assert.deepEqual(markerBatchMembers(trigger, 'exports/d/', listing).map((b) => b.path), ['exports/d/part-0.parquet', 'exports/d/part-1.parquet', 'exports/d/sub/part-0.parquet']);
  });
});
