// Graceful stop with activities in flight, then a new backend on the same database file: results
// finished during the stop are kept (in the inbox), nothing runs or completes twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadApp } from '../../../devhost/functions/app-loader';
import type { LoadedApp } from '../../../devhost/functions/types';
import { createDurableBackend } from '../../../devhost/durable/index';
import { EventType as E } from '../../../devhost/durable/history';
import { fixtureExports, makeAppDir, type TempAppDir } from '../../_helpers/durable/app-dir';
import { eventsOfType, rawHistory, waitForStatus } from '../../_helpers/durable/harness';

describe('stop and restart on the same database', () => {
  let tmp: TempAppDir;
  let app: LoadedApp;
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-restart-'));
  before(async () => {
    tmp = makeAppDir('conformance');
    app = await loadApp(tmp.dir);
  });
  after(async () => {
    await app.terminate();
    tmp.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps results that finish during a graceful stop and completes after restart', async () => {
    const dbPath = path.join(dir, 'host.sqlite');
    const first = createDurableBackend({ app, dbPath });
    const id = await first.startNew('slowFanOut', { input: { n: 5, ms: 200 } });
    await waitForStatus(first, id, ['Running']);
    await first.stop();
    const { invocations } = fixtureExports<{ invocations: Map<string, number> }>('conformance');
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => invocations.get(String(i))), [1, 1, 1, 1, 1]);

    const second = createDurableBackend({ app, dbPath });
    try {
      const waiting = second.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM dt_inbox WHERE instance_id = ? AND event_type = 5').get(id);
      assert.equal(waiting?.n, 5, 'the results were kept in the inbox, not lost');
      const status = await waitForStatus(second, id);
      assert.deepEqual(status.output, [0, 10, 20, 30, 40]);
      assert.equal(eventsOfType(rawHistory(second, id), E.TaskCompleted).length, 5);
      assert.deepEqual([0, 1, 2, 3, 4].map((i) => invocations.get(String(i))), [1, 1, 1, 1, 1], 'no activity ran again');
    } finally {
      await second.stop();
    }
  });
});
