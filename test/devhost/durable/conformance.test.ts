// Conformance of the local Durable backend: orchestrations written with the public durable-functions
// API (test/fixtures/apps/conformance) run through the real replay code; each case asserts on the
// output and on the recorded history (DTFx JSON shape).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventType as E, type HistoryEvent } from '../../../devhost/durable/history';
import { type DurableHarness, eventsOfType, rawHistory, startHarness, waitForStatus } from '../../_helpers/durable/harness';

const types = (h: HistoryEvent[]) => h.map((e) => e.EventType);

describe('durable conformance', () => {
  let t: DurableHarness;
  before(async () => { t = await startHarness('conformance'); });
  after(async () => { await t.close(); });

  it('sequence: three activities in order, one episode per completion', async () => {
    const id = await t.backend.startNew('sequence', { instanceId: 'seq-1' });
    const status = await waitForStatus(t.backend, id);
    assert.equal(status.runtimeStatus, 'Completed');
    assert.deepEqual(status.output, ['Hello Tokyo', 'Hello Seattle', 'Hello London']);
    const h = rawHistory(t.backend, id);
    assert.deepEqual(types(h), [12, 0, 4, 13, 12, 5, 4, 13, 12, 5, 4, 13, 12, 5, 1, 13]);
    assert.deepEqual(eventsOfType(h, E.TaskScheduled).map((e) => [e.EventId, e.Name, e.Input]),
      [[0, 'hello', '"Tokyo"'], [1, 'hello', '"Seattle"'], [2, 'hello', '"London"']]);
    assert.deepEqual(eventsOfType(h, E.TaskCompleted).map((e) => [e.TaskScheduledId, e.Result]),
      [[0, '"Hello Tokyo"'], [1, '"Hello Seattle"'], [2, '"Hello London"']]);
    const done = eventsOfType(h, E.ExecutionCompleted)[0];
    assert.equal(done?.OrchestrationStatus, 'Completed');
    assert.equal(done?.Result, JSON.stringify(status.output));
  });

  it('fan-out/fan-in of 1,000 activities: every result present once', async () => {
    const id = await t.backend.startNew('fanOut', { input: 1000 });
    const status = await waitForStatus(t.backend, id, undefined, 60_000);
    assert.deepEqual(status.output, { count: 1000, sum: 999_000, first: [0, 2, 4] });
    const h = rawHistory(t.backend, id);
    const scheduled = eventsOfType(h, E.TaskScheduled);
    assert.deepEqual(scheduled.map((e) => e.EventId), Array.from({ length: 1000 }, (_, i) => i));
    const completed = eventsOfType(h, E.TaskCompleted);
    assert.equal(completed.length, 1000);
    assert.equal(new Set(completed.map((e) => e.TaskScheduledId)).size, 1000);
    for (const e of completed) assert.equal(e.Result, String((e.TaskScheduledId as number) * 2));
    // Completions ready together are delivered together: far fewer episodes than activities.
    assert.ok(eventsOfType(h, E.OrchestratorStarted).length < 500);
  });

  it('sub-orchestrations: default and explicit ids, results and failures reach the parent', async () => {
    const id = await t.backend.startNew('parent', { instanceId: 'parent-1' });
    const status = await waitForStatus(t.backend, id);
    assert.equal(status.runtimeStatus, 'Completed');
    const out = status.output as { a: unknown; b: unknown; failure: string };
    assert.deepEqual(out.a, { doubled: 2, parent: 'parent-1' });
    assert.deepEqual(out.b, { doubled: 4, parent: 'parent-1' });
    assert.match(out.failure, /^Orchestrator function 'failingChild' failed: Activity function 'boom' failed: boom!/);
    const h = rawHistory(t.backend, id);
    const executionId = (eventsOfType(h, E.ExecutionStarted)[0]?.OrchestrationInstance as { ExecutionId: string }).ExecutionId;
    const created = eventsOfType(h, E.SubOrchestrationInstanceCreated);
    assert.deepEqual(created.map((e) => [e.EventId, e.Name, e.InstanceId]),
      [[0, 'child', `${executionId}:0`], [1, 'child', 'parent-1-explicit'], [2, 'failingChild', `${executionId}:2`]]);
    assert.deepEqual(eventsOfType(h, E.SubOrchestrationInstanceCompleted).map((e) => e.TaskScheduledId), [0, 1]);
    assert.deepEqual(eventsOfType(h, E.SubOrchestrationInstanceFailed).map((e) => e.TaskScheduledId), [2]);
    const child = rawHistory(t.backend, 'parent-1-explicit');
    const started = eventsOfType(child, E.ExecutionStarted)[0];
    assert.deepEqual(started?.ParentInstance, {
      Name: 'parent', OrchestrationInstance: { InstanceId: 'parent-1', ExecutionId: executionId }, TaskScheduleId: 1,
    });
    assert.equal((await t.backend.getStatus(`${executionId}:2`))?.runtimeStatus, 'Failed');
  });

  it('durable timers fire at their time and replay the persisted timestamps', async () => {
    const id = await t.backend.startNew('timer', { input: 150 });
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, { waited: true });
    const h = rawHistory(t.backend, id);
    const created = eventsOfType(h, E.TimerCreated)[0];
    const fired = eventsOfType(h, E.TimerFired)[0];
    assert.equal(created?.EventId, 0);
    assert.equal(fired?.TimerId, 0);
    assert.equal(fired?.FireAt, created?.FireAt);
    const started = eventsOfType(h, E.OrchestratorStarted).map((e) => Date.parse(e.Timestamp));
    assert.ok(Date.parse(created?.FireAt as string) - (started[0] as number) >= 150);
    assert.ok((started[1] as number) >= Date.parse(created?.FireAt as string));
  });

  it('external events: delivered by name to a waiting instance', async () => {
    const id = await t.backend.startNew('waitEvent', {});
    await waitForStatus(t.backend, id, ['Running']);
    await t.backend.raiseEvent(id, 'approve', { by: 'ann' });
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, { approved: { by: 'ann' } });
    const raised = eventsOfType(rawHistory(t.backend, id), E.EventRaised);
    assert.deepEqual(raised.map((e) => [e.Name, e.Input]), [['approve', '{"by":"ann"}']]);
    await assert.rejects(t.backend.raiseEvent('no-such-instance', 'approve', 1), (err: Error & { code?: string }) => err.code === 'not_found');
    await assert.rejects(t.backend.raiseEvent(id, 'approve', 1), (err: Error & { code?: string }) => err.code === 'gone');
  });

  it('external events: one raised before the orchestrator waits is kept for it', async () => {
    const id = await t.backend.startNew('eventBeforeWait', {});
    await t.backend.raiseEvent(id, 'go', 42);
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, { greeting: 'Hello first', data: 42 });
    const h = rawHistory(t.backend, id);
    const raisedAt = h.findIndex((e) => e.EventType === E.EventRaised);
    const timerAt = h.findIndex((e) => e.EventType === E.TimerFired);
    assert.ok(raisedAt >= 0 && raisedAt < timerAt, 'the event was recorded before the orchestrator waited for it');
  });

  it('external event racing a timer: the event wins, and a timer wins when no event comes', async () => {
    const fast = await t.backend.startNew('raceEventTimer', { input: 60_000 });
    await waitForStatus(t.backend, fast, ['Running']);
    await t.backend.raiseEvent(fast, 'approve', 'yes');
    const won = await waitForStatus(t.backend, fast);
    assert.deepEqual(won.output, { winner: 'event', data: 'yes' });
    const hEvent = rawHistory(t.backend, fast);
    assert.equal(eventsOfType(hEvent, E.TimerCreated).length, 1);
    assert.equal(eventsOfType(hEvent, E.TimerFired).length, 0);

    const slow = await t.backend.startNew('raceEventTimer', { input: 80 });
    const lost = await waitForStatus(t.backend, slow);
    assert.deepEqual(lost.output, { winner: 'timer' });
    const hTimer = rawHistory(t.backend, slow);
    assert.deepEqual(eventsOfType(hTimer, E.TimerFired).map((e) => e.TimerId), [0]);
    assert.equal(eventsOfType(hTimer, E.EventRaised).length, 0);
  });

  it('retries: attempts, retry timers and the last dummy timer numbered as the extension does', async () => {
    const id = await t.backend.startNew('retry', { input: 'retry-1' });
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, { ok: 'ok after 3', exhausted: "Activity function 'flaky' failed: flaky failure 2 " });
    const h = rawHistory(t.backend, id).filter((e) => e.EventType !== E.OrchestratorStarted && e.EventType !== E.OrchestratorCompleted);
    const trace = h.map((e) => {
      switch (e.EventType) {
        case E.TaskScheduled: return `S${e.EventId}`;
        case E.TaskFailed: return `F${String(e.TaskScheduledId)}`;
        case E.TaskCompleted: return `C${String(e.TaskScheduledId)}`;
        case E.TimerCreated: return `T${e.EventId}`;
        case E.TimerFired: return `t${String(e.TimerId)}`;
        default: return E[e.EventType];
      }
    });
    assert.deepEqual(trace, [
      'ExecutionStarted', 'S0', 'F0', 'T1', 't1', 'S2', 'F2', 'T3', 't3', 'S4', 'C4',
      'S5', 'F5', 'T6', 't6', 'S7', 'F7', 'T8', 't8', 'ExecutionCompleted',
    ]);
    const fired = eventsOfType(h, E.TimerCreated).map((e) => Date.parse(e.FireAt as string) - Date.parse(e.Timestamp));
    assert.ok((fired[0] as number) >= 10 && (fired[1] as number) >= 10, 'retry timers wait the first retry interval');
    assert.ok((fired[3] as number) <= 0, 'the dummy timer after the last attempt fires at once');
  });

  it('continueAsNew: restarts with the new input and keeps only the last execution', async () => {
    const id = await t.backend.startNew('counter', { input: 0 });
    const status = await waitForStatus(t.backend, id);
    assert.equal(status.output, 'done at 3');
    assert.equal(status.input, 3);
    const h = rawHistory(t.backend, id);
    assert.equal(eventsOfType(h, E.ExecutionStarted).length, 1);
    assert.equal(eventsOfType(h, E.ExecutionStarted)[0]?.Input, '3');
    assert.deepEqual(eventsOfType(h, E.TaskScheduled).map((e) => [e.EventId, e.Input]), [[0, '3']]);
  });

  it('terminate: ends a waiting instance with the reason; later events answer gone', async () => {
    const id = await t.backend.startNew('waitEvent', {});
    await waitForStatus(t.backend, id, ['Running']);
    await t.backend.terminate(id, 'stop it');
    const status = await waitForStatus(t.backend, id);
    assert.equal(status.runtimeStatus, 'Terminated');
    assert.equal(status.output, 'stop it');
    const h = rawHistory(t.backend, id);
    assert.equal(eventsOfType(h, E.ExecutionTerminated)[0]?.Input, 'stop it');
    assert.equal(eventsOfType(h, E.ExecutionCompleted)[0]?.OrchestrationStatus, 'Terminated');
    await assert.rejects(t.backend.raiseEvent(id, 'approve', 1), (err: Error & { code?: string }) => err.code === 'gone');
    await assert.rejects(t.backend.terminate('no-such-instance', 'x'), (err: Error & { code?: string }) => err.code === 'not_found');
  });

  it('suspend/resume: events are buffered while suspended and delivered after resume', async () => {
    const id = await t.backend.startNew('waitEvent', {});
    await waitForStatus(t.backend, id, ['Running']);
    await t.backend.suspend(id, 'pause');
    await waitForStatus(t.backend, id, ['Suspended']);
    await t.backend.raiseEvent(id, 'approve', 'late');
    await t.backend.idle();
    assert.equal((await t.backend.getStatus(id))?.runtimeStatus, 'Suspended');
    await t.backend.resume(id, 'go on');
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, { approved: 'late' });
    const h = types(rawHistory(t.backend, id));
    const suspended = h.indexOf(E.ExecutionSuspended);
    const resumed = h.indexOf(E.ExecutionResumed);
    const raised = h.indexOf(E.EventRaised);
    assert.ok(suspended >= 0 && suspended < resumed && resumed < raised, `order: ${h.join(',')}`);
  });

  it('purge: one instance, and many by filter', async () => {
    const id = await t.backend.startNew('sequence', { instanceId: 'purge-me' });
    await waitForStatus(t.backend, id);
    assert.equal(await t.backend.purge(id), 1);
    assert.equal(await t.backend.getStatus(id), undefined);
    assert.equal(rawHistory(t.backend, id).length, 0);
    assert.equal(await t.backend.purge(id), 0);

    const from = new Date(Date.now() - 1000).toISOString();
    const ids = [await t.backend.startNew('sequence', { instanceId: 'pb-1' }), await t.backend.startNew('sequence', { instanceId: 'pb-2' })];
    for (const i of ids) await waitForStatus(t.backend, i);
    const running = await t.backend.startNew('waitEvent', { instanceId: 'pb-running' });
    await waitForStatus(t.backend, running, ['Running']);
    const purged = await t.backend.purgeBy({ createdTimeFrom: from, runtimeStatus: ['Completed'] });
    assert.ok(purged >= 2);
    assert.equal(await t.backend.getStatus('pb-1'), undefined);
    assert.equal((await t.backend.getStatus('pb-running'))?.runtimeStatus, 'Running');
    await t.backend.terminate(running, 'cleanup');
  });

  it('custom status: visible while running and after completion', async () => {
    const id = await t.backend.startNew('customStatus', {});
    await waitForStatus(t.backend, id, ['Running']);
    await t.backend.idle();
    assert.deepEqual((await t.backend.getStatus(id))?.customStatus, { stage: 1 });
    await t.backend.raiseEvent(id, 'next', null);
    const status = await waitForStatus(t.backend, id);
    assert.equal(status.output, 'finished');
    assert.deepEqual(status.customStatus, { stage: 2 });
  });

  it('orchestration failure: an unhandled activity error and a thrown error fail the instance', async () => {
    const a = await t.backend.startNew('fails', {});
    const failed = await waitForStatus(t.backend, a);
    assert.equal(failed.runtimeStatus, 'Failed');
    assert.match(String(failed.output), /^Orchestrator function 'fails' failed: Activity function 'boom' failed: boom!/);
    const h = rawHistory(t.backend, a);
    assert.match(String(eventsOfType(h, E.TaskFailed)[0]?.Reason), /^Activity function 'boom' failed: boom!$/);
    assert.equal(eventsOfType(h, E.ExecutionCompleted)[0]?.OrchestrationStatus, 'Failed');

    const b = await t.backend.startNew('throws', {});
    const thrown = await waitForStatus(t.backend, b);
    assert.equal(thrown.output, "Orchestrator function 'throws' failed: orchestrator exploded");
    assert.equal(eventsOfType(rawHistory(t.backend, b), E.ExecutionCompleted)[0]?.Result, thrown.output);
  });

  it('activity inputs are encoded as in production', async () => {
    const id = await t.backend.startNew('inputs', {});
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, [
      { type: 'string', value: 'Tokyo' }, { type: 'object', value: { city: 'Seattle' } }, { type: 'number', value: 42 },
    ]);
  });

  it('startNew refuses an id held by a running instance, and restarts a finished one', async () => {
    const id = await t.backend.startNew('waitEvent', { instanceId: 'dup-1' });
    await assert.rejects(t.backend.startNew('waitEvent', { instanceId: id }), (err: Error & { code?: string }) => err.code === 'instance_exists');
    await t.backend.terminate(id, 'x');
    await waitForStatus(t.backend, id);
    await t.backend.startNew('sequence', { instanceId: id });
    assert.equal((await waitForStatus(t.backend, id)).runtimeStatus, 'Completed');
    await assert.rejects(t.backend.startNew('nope', {}), (err: Error & { code?: string }) => err.code === 'unknown_orchestrator');
    await assert.rejects(t.backend.startNew('sequence', { instanceId: '@bad' }), (err: Error & { code?: string }) => err.code === 'invalid_instance_id');
  });

  it('status with history and query pages with continuation tokens', async () => {
    const prefix = `q-${Date.now()}-`;
    for (let i = 0; i < 5; i++) await waitForStatus(t.backend, await t.backend.startNew('sequence', { instanceId: `${prefix}${i}`, input: i }));
    const withHistory = await t.backend.getStatus(`${prefix}0`, { showHistory: true, showHistoryOutput: true });
    const rows = withHistory?.historyEvents as { EventType: string; FunctionName?: string; Result?: string }[];
    assert.equal(rows[0]?.EventType, 'ExecutionStarted');
    assert.deepEqual(rows.filter((r) => r.EventType === 'TaskCompleted').map((r) => [r.FunctionName, r.Result]),
      [['hello', '"Hello Tokyo"'], ['hello', '"Hello Seattle"'], ['hello', '"Hello London"']]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.backend.query({ instanceIdPrefix: prefix, top: 2, ...(token ? { continuationToken: token } : {}) });
      assert.ok(page.instances.length <= 2);
      seen.push(...page.instances.map((s) => s.instanceId));
      token = page.continuationToken;
    } while (token);
    assert.deepEqual(seen.sort(), [0, 1, 2, 3, 4].map((i) => `${prefix}${i}`));
    const completed = await t.backend.query({ instanceIdPrefix: prefix, runtimeStatus: ['Running'] });
    assert.equal(completed.instances.length, 0);
  });

  it('rewind answers not supported', async () => {
    const id = await t.backend.startNew('fails', {});
    await waitForStatus(t.backend, id);
    await assert.rejects(t.backend.rewind(id, 'again'), (err: Error & { code?: string }) => err.code === 'not_supported');
  });

  it('sub-orchestration retries: a new child per attempt, retry timers between', async () => {
    const id = await t.backend.startNew('subRetry', { instanceId: 'subretry-1' });
    const status = await waitForStatus(t.backend, id);
    assert.match(String(status.output), /^caught: Orchestrator function 'failingChild' failed: Activity function 'boom' failed: boom!/);
    const h = rawHistory(t.backend, id);
    const executionId = (eventsOfType(h, E.ExecutionStarted)[0]?.OrchestrationInstance as { ExecutionId: string }).ExecutionId;
    assert.deepEqual(eventsOfType(h, E.SubOrchestrationInstanceCreated).map((e) => [e.EventId, e.InstanceId]),
      [[0, `${executionId}:0`], [2, `${executionId}:2`]]);
    assert.deepEqual(eventsOfType(h, E.SubOrchestrationInstanceFailed).map((e) => e.TaskScheduledId), [0, 2]);
    assert.deepEqual(eventsOfType(h, E.TimerCreated).map((e) => e.EventId), [1, 3]);
    assert.deepEqual(eventsOfType(h, E.TimerFired).map((e) => e.TimerId), [1, 3]);
  });

  it('activity results that arrive while suspended wait in the inbox until resume', async () => {
    const id = await t.backend.startNew('slowFanOut', { input: { n: 3, ms: 150 } });
    await waitForStatus(t.backend, id, ['Running']);
    await t.backend.suspend(id, 'hold');
    await waitForStatus(t.backend, id, ['Suspended']);
    await new Promise((r) => setTimeout(r, 300));
    await t.backend.idle();
    assert.equal((await t.backend.getStatus(id))?.runtimeStatus, 'Suspended');
    const waiting = t.backend.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM dt_inbox WHERE instance_id = ? AND event_type = 5').get(id);
    assert.equal(waiting?.n, 3);
    assert.equal(eventsOfType(rawHistory(t.backend, id), E.TaskCompleted).length, 0);
    await t.backend.resume(id, 'go');
    const status = await waitForStatus(t.backend, id);
    assert.deepEqual(status.output, [0, 10, 20]);
    assert.equal(eventsOfType(rawHistory(t.backend, id), E.TaskCompleted).length, 3);
  });
});
