/**
 * Bounded histories: a DAG wider than the chunk size runs as chunk sub-orchestrations that start
 * when the chunks they depend on are done; no orchestration history grows past ~1,000 events,
 * and a step costs few episodes and one activity per job state change.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chunkInstanceId } from '../../shared/run/names';
import { startRunsHarness, type RunsHarness } from '../_helpers/runs/harness';
import { plan, step } from '../_helpers/runs/plans';

let h: RunsHarness;
before(async () => { h = await startRunsHarness({ chunkSize: 20, maxJobsPerCompute: 64 }); });
after(async () => { await h.close(); });

test('a 50-step fan-out runs in three chunks of at most 20 steps with every history bounded', async () => {
  const steps = [step('root', { command: 'echo root', outputs: { out: {} } })];
  for (let i = 1; i < 50; i += 1) steps.push(step(`s${i}`, { command: `echo ${i}`, inputs: { x: { step: 'root', output: 'out' } } }));
  const started = await h.start({ plan: plan('wide', steps) });
  const run = await h.wait(started.runId, 60_000);
  assert.equal(run.status, 'Completed');
  assert.equal(Object.values(run.steps).filter((s) => s.status === 'Completed').length, 50);

  const counts = h.backend.db.prepare<[string], { instance_id: string; n: number }>(
    "SELECT instance_id, count(*) AS n FROM dt_history WHERE instance_id LIKE ? || '%' GROUP BY instance_id").all(started.runId);
  const byId = new Map(counts.map((c) => [c.instance_id, c.n]));
  for (let i = 0; i < 3; i += 1) assert.ok(byId.has(chunkInstanceId(started.runId, '', i)), `chunk ${i} ran`);
  // A chunk of N steps: 2 events per child + 2 per episode, at most ~3 episodes per child → ≤ 10 N.
  const largest = Math.max(...counts.map((c) => c.n));
  assert.ok(largest <= 10 * 20, `largest history ${largest} events`);
  assert.ok((byId.get(started.runId) ?? 0) < 60, 'the run itself holds only chunk-level events');

  // Per step: episodes (OrchestratorStarted) and activities (TaskScheduled) of its own orchestration.
  const stepId = `${started.runId}:s7`;
  const events = h.backend.db.prepare<[string], { event: string }>('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq').all(stepId)
    .map((r) => JSON.parse(r.event) as { EventType: number; Name?: string });
  const activities = events.filter((e) => e.EventType === 4).map((e) => e.Name);
  assert.deepEqual(activities, ['runs_prepareStep', 'runs_completeStep'], 'submit and completion: one activity each');
  const episodes = events.filter((e) => e.EventType === 12).length;
  assert.ok(episodes <= 5, `step episodes ${episodes}: start, submitted, Running event, Completed event, completed`);
});
