/**
 * Runs pin the orchestrator version they started with: histories recorded with the v1
 * orchestrators replay against the current build to the same actions and the same result,
 * and every version ever registered stays registered.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { InvocationContext } from '@azure/functions';
import type { OrchestrationHandler } from 'durable-functions';
import { orchestrators } from '../../orchestrators';
import { ORCHESTRATORS, ORCHESTRATOR_VERSIONS } from '../../shared/run/names';
import { runsFixture } from '../_helpers/runs/paths';

interface HistoryEvent { EventType: number; Name?: string; Result?: string; Input?: string }
interface Recorded { instanceId: string; name: string; history: HistoryEvent[] }

const fixture = JSON.parse(readFileSync(runsFixture('pipeline-run-v1.history.json'), 'utf8')) as { run: Recorded; step: Recorded };
const { createOrchestrator } = createRequire(__filename)('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator: (fn: OrchestrationHandler) => (input: unknown, context: InvocationContext) => Promise<{ isDone: boolean; output?: unknown; actions: unknown[][]; error?: string }>;
};

interface Action { actionType: number; functionName?: string; compoundActions?: Action[] }

/** Activity and sub-orchestration names the replay scheduled, depth-first (compound actions flattened). */
function scheduled(actions: Action[]): string[] {
  return actions.flatMap((a) => (a.compoundActions ? scheduled(a.compoundActions) : [0, 1, 2, 3].includes(a.actionType) ? [a.functionName ?? ''] : []));
}

async function replay(recorded: Recorded) {
  const handler = orchestrators[recorded.name];
  assert.ok(handler, `${recorded.name} is still registered`);
  const started = recorded.history.find((e) => e.EventType === 0);
  const binding = {
    history: recorded.history, input: JSON.parse(started?.Input ?? 'null'), instanceId: recorded.instanceId, isReplaying: false,
    parentInstanceId: null, upperSchemaVersion: 1, upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00', maximumShortTimerDuration: '36500.00:00:00', defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  return createOrchestrator(handler)(binding, new InvocationContext({ functionName: recorded.name, invocationId: 'replay', logHandler: () => undefined }));
}

for (const key of ['run', 'step'] as const) {
  test(`a recorded ${fixture[key].name} history replays against this build to the recorded actions and result`, async () => {
    const recorded = fixture[key];
    const state = await replay(recorded);
    assert.equal(state.error, undefined);
    assert.equal(state.isDone, true);
    const completed = recorded.history.find((e) => e.EventType === 1);
    assert.deepEqual(state.output, JSON.parse(completed?.Result ?? 'null'));
    const recordedSchedule = recorded.history.filter((e) => e.EventType === 4 || e.EventType === 7).map((e) => e.Name);
    assert.deepEqual(scheduled((state.actions[0] ?? []) as Action[]), recordedSchedule);
  });
}

test('new runs start the current version; every version ever released stays registered', () => {
  assert.equal(ORCHESTRATORS.run, 'pipelineRun_v1');
  for (const names of Object.values(ORCHESTRATOR_VERSIONS)) for (const name of names) assert.ok(orchestrators[name], name);
});
