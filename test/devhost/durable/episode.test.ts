// Episode planning with a scripted orchestrator: sequence ids, retry bookkeeping, determinism,
// failure parsing, without the library in the loop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionType, type Action, actionInputText, retryDelayMs } from '../../../devhost/durable/actions';
import {
  decodeReplayState, emptyReplayState, encodeReplayState, type EpisodeInput, parseOutOfProcData, runEpisode,
} from '../../../devhost/durable/episode';
import { EventType as E, historyEvent } from '../../../devhost/durable/history';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const base = (over: Partial<EpisodeInput> = {}): EpisodeInput => ({
  instanceId: 'i1', executionId: 'x1', name: 'orch', input: null, parent: null, replay: emptyReplayState(),
  customStatus: null, events: [historyEvent(E.ExecutionStarted, new Date(T0).toISOString(), { Name: 'orch', Input: null })], now: T0, ...over,
});
const returns = (actions: Action[], extra: Record<string, unknown> = {}) =>
  async () => ({ state: { isDone: false, actions: [actions], ...extra } });

describe('episode planning', () => {
  it('numbers new leaves in order, walking compound actions depth-first', async () => {
    const plan = await runEpisode(base(), '', returns([
      { actionType: ActionType.CallActivity, functionName: 'a', input: '"x"' },
      { actionType: ActionType.WhenAny, compoundActions: [
        { actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' },
        { actionType: ActionType.CreateTimer, fireAt: '2026-01-01T00:01:00.000Z', isCanceled: false },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: { n: 1 } },
      ] },
    ]));
    assert.deepEqual(plan.history.map((e) => [E[e.EventType], e.EventId]), [
      ['OrchestratorStarted', -1], ['ExecutionStarted', -1], ['TaskScheduled', 0], ['TimerCreated', 1],
      ['SubOrchestrationInstanceCreated', 2], ['OrchestratorCompleted', -1],
    ]);
    assert.deepEqual(plan.activities, [{ taskId: 0, name: 'a', input: '"x"' }]);
    assert.equal(plan.children[0]?.instanceId, 'x1:2');
    assert.equal(plan.children[0]?.input, '{"n":1}');
    assert.equal(plan.posts[0]?.visibleAt, T0 + 60_000);
    assert.equal(plan.replay.nextSeq, 3);
  });

  it('puts retry ids before the ids of new actions when a failed attempt shares an episode', async () => {
    const retryAction: Action = { actionType: ActionType.CallActivityWithRetry, functionName: 'flaky', input: '1',
      retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 2, backoffCoefficient: 2 } };
    const first = await runEpisode(base(), '', returns([retryAction, { actionType: ActionType.CallActivity, functionName: 'a' }]));
    const old = first.history.map((e) => JSON.stringify(e)).join(',');
    const events = [
      historyEvent(E.TaskCompleted, new Date(T0 + 5).toISOString(), { TaskScheduledId: 1, Result: '1' }),
      historyEvent(E.TaskFailed, new Date(T0 + 5).toISOString(), { TaskScheduledId: 0, Reason: 'r', Details: 'd' }),
    ];
    const second = await runEpisode(base({ replay: first.replay, events, now: T0 + 10 }), old,
      returns([retryAction, { actionType: ActionType.CallActivity, functionName: 'a' }, { actionType: ActionType.CallActivity, functionName: 'b' }]));
    const delivered = second.history.slice(1, 3).map((e) => E[e.EventType]);
    assert.deepEqual(delivered, ['TaskFailed', 'TaskCompleted'], 'retry-allocating events are delivered first');
    const scheduled = second.history.filter((e) => e.EventId >= 0).map((e) => [E[e.EventType], e.EventId, e.FireAt ?? e.Name]);
    assert.deepEqual(scheduled, [['TimerCreated', 2, new Date(T0 + 10 + 1000).toISOString()], ['TaskScheduled', 3, 'b']]);

    const fired = historyEvent(E.TimerFired, new Date(T0 + 1010).toISOString(), { TimerId: 2 });
    const third = await runEpisode(base({ replay: second.replay, events: [fired], now: T0 + 1010 }),
      [old, ...second.history.map((e) => JSON.stringify(e))].join(','),
      returns([retryAction, { actionType: ActionType.CallActivity, functionName: 'a' }, { actionType: ActionType.CallActivity, functionName: 'b' }]));
    assert.deepEqual(third.activities, [{ taskId: 4, name: 'flaky', input: '1' }]);
    assert.equal(third.replay.retries[4]?.attempt, 2);
  });

  it('fails the instance on a non-deterministic replay', async () => {
    const first = await runEpisode(base(), '', returns([{ actionType: ActionType.CallActivity, functionName: 'a' }]));
    const plan = await runEpisode(
      base({ replay: first.replay, events: [historyEvent(E.TaskCompleted, new Date(T0).toISOString(), { TaskScheduledId: 0, Result: null })] }),
      first.history.map((e) => JSON.stringify(e)).join(','),
      returns([{ actionType: ActionType.CallActivity, functionName: 'other' }]),
    );
    assert.equal(plan.status, 'Failed');
    assert.match(JSON.parse(plan.output ?? '""') as string, /^Non-Deterministic workflow detected: .*CallActivity:a .*CallActivity:other/);
  });

  it('parses $OutOfProcData$ from a failed invocation and reports the extension message', async () => {
    const state = { isDone: false, actions: [[]], error: 'bad thing', schemaVersion: 2 };
    assert.deepEqual(parseOutOfProcData(`false\n\n$OutOfProcData$:${JSON.stringify(state)}`), state);
    assert.equal(parseOutOfProcData('plain error'), undefined);
    const plan = await runEpisode(base({ parent: { instanceId: 'p', executionId: 'px', taskScheduledId: 4, name: 'parent' } }), '',
      async () => ({ error: new Error(`false\n\n$OutOfProcData$:${JSON.stringify(state)}`) }));
    assert.equal(plan.status, 'Failed');
    assert.equal(JSON.parse(plan.output ?? '""'), "Orchestrator function 'orch' failed: bad thing");
    assert.equal(plan.posts[0]?.event.EventType, E.SubOrchestrationInstanceFailed);
    assert.equal(plan.posts[0]?.event.TaskScheduledId, 4);
  });

  it('refuses entity and durable HTTP actions with a clear failure', async () => {
    const plan = await runEpisode(base(), '', returns([{ actionType: ActionType.CallHttp }]));
    assert.equal(plan.status, 'Failed');
    assert.match(JSON.parse(plan.output ?? '""') as string, /CallHttp actions .* not supported by the local host/);
  });

  it('encodes inputs and retry delays as the extension does', () => {
    assert.equal(actionInputText({ actionType: ActionType.CallActivity, input: '"Tokyo"' }), '"Tokyo"');
    assert.equal(actionInputText({ actionType: ActionType.CallSubOrchestrator, input: 'Tokyo' }), '"Tokyo"');
    assert.equal(actionInputText({ actionType: ActionType.CallActivity }), null);
    const options = { firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 5, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 300 };
    assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(options, n)), [100, 200, 300]);
  });
});

describe('replay state storage', () => {
  it('round-trips with run-length encoded leaves', () => {
    const state = { leaves: ['A', 'A', 'A', 'B', 'A'], nextSeq: 5, retries: {} };
    const text = encodeReplayState(state);
    assert.ok(text.includes('[["A",3],["B",1],["A",1]]'));
    assert.deepEqual(decodeReplayState(text), state);
  });
});
