/**
 * The trigger orchestrators on the local Durable backend with scripted activities: a batch
 * window closes at its end (durable timer), not before; the queue watcher drains until nothing
 * waits, continuing as new between polls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BATCH_WINDOW_ORCHESTRATOR, QUEUE_WATCH_ORCHESTRATOR } from '../../../orchestrators/triggers/types';
import { QUEUE_POLL_MS } from '../../../orchestrators/triggers/queue-watch';
import { fixtureExports } from '../../_helpers/durable/app-dir';
import { startHarness, waitForStatus, type DurableHarness } from '../../_helpers/durable/harness';

interface Fixture {
  closed: { input: { windowStart: string; closesAt: string }; at: number }[];
  drains: { input: { schedule: string }; at: number }[];
  drainScript: number[];
}

let h: DurableHarness;
let fixture: Fixture;

before(async () => {
  h = await startHarness('trigger-orchestrations');
  fixture = fixtureExports<Fixture>('trigger-orchestrations');
});

after(async () => {
  await h?.close();
});

describe('trigger orchestrators', () => {
  it('a batch window closes when its durable timer fires at closesAt', async () => {
    const start = Date.now();
    const input = { schedule: 's', windowStart: new Date(start).toISOString(), closesAt: new Date(start + 1500).toISOString() };
    await h.backend.startNew(BATCH_WINDOW_ORCHESTRATOR, { instanceId: 'window-1', input });
    const status = await waitForStatus(h.backend, 'window-1');
    assert.equal(status.runtimeStatus, 'Completed');
    assert.equal(status.output, `run-of-${input.windowStart}`);
    assert.equal(fixture.closed.length, 1);
    assert.deepEqual(fixture.closed[0]!.input, input);
    assert.ok(fixture.closed[0]!.at >= start + 1500 - 50, `closed ${fixture.closed[0]!.at - start} ms after the start`);
  });

  it('a window already past its end closes at once', async () => {
    const input = { schedule: 's', windowStart: '2026-01-01T00:00:00.000Z', closesAt: '2026-01-01T00:00:30.000Z' };
    await h.backend.startNew(BATCH_WINDOW_ORCHESTRATOR, { instanceId: 'window-2', input });
    assert.equal((await waitForStatus(h.backend, 'window-2')).runtimeStatus, 'Completed');
    assert.equal(fixture.closed.length, 2);
  });

  it('the queue watcher drains every few seconds until nothing waits', async () => {
    fixture.drainScript.push(2, 1, 0);
    await h.backend.startNew(QUEUE_WATCH_ORCHESTRATOR, { instanceId: 'queue-1', input: { schedule: 'capped' } });
    const status = await waitForStatus(h.backend, 'queue-1', undefined, 20_000);
    assert.equal(status.runtimeStatus, 'Completed');
    assert.deepEqual(status.output, { started: [], waiting: 0 });
    assert.equal(fixture.drains.length, 3);
    assert.ok(fixture.drains.every((d) => d.input.schedule === 'capped'));
    for (let i = 1; i < 3; i++) assert.ok(fixture.drains[i]!.at - fixture.drains[i - 1]!.at >= QUEUE_POLL_MS - 50);
  });
});
