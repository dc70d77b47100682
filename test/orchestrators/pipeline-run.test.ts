/**
 * The run, graph and step orchestrators on the local Durable backend with a scripted compute:
 * events drive the DAG, the backstop covers lost events, reuse, failures, cancellation, rerun.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cancelRun, getRun, rerunRun } from '../../shared/run/start';
import { startRunsHarness, type RunsHarness } from '../_helpers/runs/harness';
import { plan, step } from '../_helpers/runs/plans';

let h: RunsHarness;
before(async () => { h = await startRunsHarness(); });
after(async () => { await h.close(); });

function diamond(name: string) {
  return plan(name, [
    step('a', { command: `echo ${name} a`, outputs: { out: { register: { name: `${name}_a_out` } } } }),
    step('b', { command: `echo ${name} b`, outputs: { out: {} } }),
    step('c', { command: `echo ${name} c`, inputs: { x: { step: 'a', output: 'out' }, y: { step: 'b', output: 'out' } }, outputs: { out: { bindsTo: ['result'] } } }),
  ], { outputs: { result: { type: 'uri_folder', register: { name: `${name}_result` } } } });
}

test('a DAG completes on events alone: no status poll, outputs registered once with lineage', async () => {
  const before = h.compute.polls.length;
  const started = await h.start({ plan: diamond('events') });
  assert.equal(started.status, 'NotStarted');
  const run = await h.wait(started.runId);
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assert.deepEqual(Object.keys(run.steps).sort(), ['a', 'b', 'c']);
  for (const s of Object.values(run.steps)) {
    assert.equal(s.status, 'Completed');
    assert.equal(s.reused, false);
    assert.match(s.jobName ?? '', new RegExp(`^${started.runId}-[abc]-0$`));
  }
  assert.equal(run.steps.a?.reason, 'no entry');
  assert.equal(h.compute.polls.length - before, 0, 'no poll when every event arrives');
  assert.match(run.outputs.result ?? '', /^azureml:\/\/datastores\/workspaceblobstore\/paths\/azureml\/.*-c-0\/out\/$/);
  const registered = await h.data.list('events_result');
  assert.equal(registered.length, 1);
  assert.equal(registered[0]?.version, started.runId);
  assert.deepEqual(registered[0]?.producedBy && { runId: registered[0].producedBy.runId, step: registered[0].producedBy.step }, { runId: started.runId, step: 'c' });
  assert.equal((await h.data.list('events_a_out')).length, 1);
});

test('the same pipeline again reuses every step and says why; a changed literal reruns that step and its dependents', async () => {
  const first = await h.wait((await h.start({ plan: diamond('reuse') })).runId);
  assert.equal(first.status, 'Completed');
  const submitsBefore = h.compute.submits.length;
  const second = await h.wait((await h.start({ plan: diamond('reuse') })).runId);
  assert.equal(second.status, 'Completed');
  assert.equal(h.compute.submits.length, submitsBefore, 'the second run submits no job');
  for (const s of Object.values(second.steps)) {
    assert.equal(s.reused, true);
    assert.equal(s.reason, `reused from run ${first.runId}`);
  }
  assert.equal((await h.data.list('reuse_result')).length, 2, 'one version per run even when reused');

  const changed = diamond('reuse');
  const b = changed.steps[1];
  assert.ok(b && b.kind === 'command');
  b.inputs.flag = { type: 'string', optional: false, binding: { kind: 'literal', value: 'v2' }, decl: { type: 'string', optional: false } };
  const third = await h.wait((await h.start({ plan: changed })).runId);
  assert.equal(third.steps.a?.reused, true);
  assert.equal(third.steps.b?.reused, false);
  assert.equal(third.steps.b?.reason, 'input flag changed');
  assert.equal(third.steps.c?.reused, false);
  assert.match(third.steps.c?.reason ?? '', /^input [xy] changed$/);
});

test('with every completion event lost, the backstop poll still completes the run', async () => {
  h.dropEvents = true;
  h.settings = { ...h.settings, backstopSeconds: 0.2 };
  try {
    const pollsBefore = h.compute.polls.length;
    const run = await h.wait((await h.start({ plan: diamond('backstop') })).runId);
    assert.equal(run.status, 'Completed', JSON.stringify(run));
    assert.ok(h.compute.polls.length - pollsBefore >= 3, 'each job was polled');
  } finally {
    h.dropEvents = false;
    h.settings = { ...h.settings, backstopSeconds: 30 };
  }
});

test('continue_on_step_failure: a failing step skips its dependents, independent branches complete, the run fails', async () => {
  const p = plan('cont', [
    step('bad', { command: 'exit 1', outputs: { out: {} } }),
    step('after_bad', { command: 'echo after', inputs: { x: { step: 'bad', output: 'out' } } }),
    step('good', { command: 'echo good cont', outputs: { out: {} } }),
    step('after_good', { command: 'echo after good cont', inputs: { x: { step: 'good', output: 'out' } } }),
  ]);
  p.settings.continueOnStepFailure = true;
  h.compute.behaviours.set('bad', { outcome: 'Failed', error: { code: 'UserError', message: 'exit code 1' } });
  const run = await h.wait((await h.start({ plan: p })).runId);
  assert.equal(run.status, 'Failed');
  assert.equal(run.steps.bad?.status, 'Failed');
  assert.deepEqual(run.steps.bad?.error, { code: 'UserError', message: 'exit code 1' });
  assert.equal(run.steps.after_bad?.status, 'Skipped');
  assert.equal(run.steps.good?.status, 'Completed');
  assert.equal(run.steps.after_good?.status, 'Completed');
});

test('without continue_on_step_failure, nothing new starts after a failure', async () => {
  const p = plan('stop', [
    step('bad2', { command: 'exit 2', outputs: { out: {} } }),
    step('later', { command: 'echo later stop', inputs: { x: { step: 'bad2', output: 'out' } } }),
  ]);
  h.compute.behaviours.set('bad2', { outcome: 'Failed', error: { code: 'UserError', message: 'exit code 2' } });
  const run = await h.wait((await h.start({ plan: p })).runId);
  assert.equal(run.status, 'Failed');
  assert.equal(run.steps.later?.status, 'Skipped');
  assert.match(run.error?.message ?? '', /bad2/);
});

test('transient failures are retried with a new job name per attempt; user errors are not', async () => {
  h.compute.behaviours.set('flaky', (attempt) => (attempt === 0 ? { outcome: 'Failed', error: { code: 'SystemError', message: 'node lost' } } : { outcome: 'Completed' }));
  const run = await h.wait((await h.start({ plan: plan('retry', [step('flaky', { command: 'echo flaky', retries: 2, outputs: { out: {} } })]) })).runId);
  assert.equal(run.status, 'Completed');
  assert.match(run.steps.flaky?.jobName ?? '', /-flaky-1$/);
  h.compute.behaviours.set('userbad', { outcome: 'Failed', error: { code: 'UserError', message: 'bad script' } });
  const submits = h.compute.submits.length;
  const failed = await h.wait((await h.start({ plan: plan('noretry', [step('userbad', { command: 'echo userbad', retries: 2 })]) })).runId);
  assert.equal(failed.status, 'Failed');
  assert.equal(h.compute.submits.length - submits, 1, 'a user error is not retried');
});

test('limits.timeout: a job running past its deadline is cancelled and the step fails', async () => {
  h.compute.behaviours.set('slow', { outcome: 'hang' });
  const run = await h.wait((await h.start({ plan: plan('timeout', [step('slow', { command: 'sleep 100', timeoutSeconds: 0.3 })]) })).runId);
  assert.equal(run.status, 'Failed');
  assert.equal(run.steps.slow?.error?.code, 'timeout');
  assert.ok(h.compute.cancels.some((j) => j.endsWith('-slow-0')));
});

test('cancel mid-run cancels every running job and ends Canceled; nothing new starts', async () => {
  h.compute.behaviours.set('long1', { outcome: 'hang' });
  h.compute.behaviours.set('long2', { outcome: 'hang' });
  const p = plan('cancel', [
    step('long1', { command: 'sleep 1000', outputs: { out: {} } }),
    step('long2', { command: 'sleep 1001' }),
    step('next', { command: 'echo next', inputs: { x: { step: 'long1', output: 'out' } } }),
  ]);
  const started = await h.start({ plan: p });
  const deadline = Date.now() + 10_000;
  while (h.compute.running().filter((j) => j.startsWith(started.runId)).length < 2) {
    assert.ok(Date.now() < deadline, 'both jobs started');
    await new Promise((r) => setTimeout(r, 20));
  }
  await cancelRun(h.client, { state: h.state }, started.runId);
  const run = await h.wait(started.runId);
  assert.equal(run.status, 'Canceled');
  assert.equal(run.steps.long1?.status, 'Canceled');
  assert.equal(run.steps.long2?.status, 'Canceled');
  assert.equal(run.steps.next?.status, 'NotStarted');
  assert.deepEqual(h.compute.running().filter((j) => j.startsWith(started.runId)), []);
});

test('rerun-from-failure reruns only what failed, reusing the completed steps even when not deterministic', async () => {
  h.compute.behaviours.set('fails_once', (attempt) => ({ outcome: 'Failed', error: { code: 'UserError', message: `attempt ${attempt}` } }));
  const p = plan('rerun', [
    step('ok1', { command: 'echo ok1 rerun', deterministic: false, outputs: { out: {} } }),
    step('fails_once', { command: 'echo fails rerun', inputs: { x: { step: 'ok1', output: 'out' } } }),
  ]);
  const first = await h.wait((await h.start({ plan: p })).runId);
  assert.equal(first.status, 'Failed');
  h.compute.behaviours.delete('fails_once');
  const submits = h.compute.submits.length;
  const rerun = await rerunRun(h.client, { state: h.state, settings: h.settings }, first.runId);
  assert.deepEqual(rerun.trigger, { type: 'rerun', rerunOf: first.runId });
  const second = await h.wait(rerun.runId);
  assert.equal(second.status, 'Completed');
  assert.equal(second.steps.ok1?.reused, true);
  assert.equal(second.steps.ok1?.reason, `reused from run ${first.runId}`);
  assert.equal(second.steps.fails_once?.reused, false);
  assert.equal(h.compute.submits.length - submits, 1);
});

test('an idempotency key maps a repeated start to the same run; a finished run id never starts again', async () => {
  const p = plan('idem', [step('one', { command: 'echo idem' })]);
  const a = await h.start({ plan: p, idempotencyKey: 'key-1' });
  const b = await h.start({ plan: p, idempotencyKey: 'key-1' });
  assert.equal(a.runId, b.runId);
  await h.wait(a.runId);
  const submits = h.compute.submits.length;
  const again = await h.start({ plan: p, idempotencyKey: 'key-1' });
  assert.equal(again.runId, a.runId);
  assert.equal(again.status, 'Completed');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(h.compute.submits.length, submits);
});

test('a nested pipeline step runs as a sub-orchestration and exposes its steps as outer/inner', async () => {
  const inner = plan('inner', [step('i1', { command: 'echo inner one', outputs: { out: { bindsTo: ['inner_out'] } } })], { outputs: { inner_out: { type: 'uri_folder' } } });
  const p = plan('outer', [
    { kind: 'pipeline', name: 'sub', inputs: {}, outputs: { inner_out: { type: 'uri_folder', mode: 'rw_mount', bindsTo: [], register: { name: 'nested_out' } } }, dependsOn: [], location: { file: 'p.yml', line: 1, column: 1, path: 'jobs.sub' }, pipeline: inner },
    step('use', { command: 'echo use nested', inputs: { x: { step: 'sub', output: 'inner_out' } } }),
  ]);
  const run = await h.wait((await h.start({ plan: p })).runId);
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assert.equal(run.steps['sub/i1']?.status, 'Completed');
  assert.equal(run.steps.sub?.status, 'Completed');
  assert.equal(run.steps.use?.status, 'Completed');
  assert.equal((await h.data.list('nested_out')).length, 1);
});

test('touching one code file reruns exactly that step and its dependents, naming the file', async () => {
  const p = plan('touch', [
    step('a', { command: 'python a.py', code: 'a_src', outputs: { out: {} } }),
    step('b', { command: 'echo b touch', inputs: { x: { step: 'a', output: 'out' } } }),
    step('c', { command: 'python c.py', code: 'c_src' }),
  ]);
  const sources = (aHash: string) => ({
    a_src: { uri: `azureml://datastores/workspaceblobstore/paths/LocalUpload/${aHash}/a_src/`, hash: aHash, files: { 'a.py': aHash, 'util.py': 'u1' } },
    c_src: { uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/c1/c_src/', hash: 'c1', files: { 'c.py': 'c1' } },
  });
  const first = await h.wait((await h.start({ plan: p, sources: sources('a1') })).runId);
  assert.equal(first.status, 'Completed');
  const submits = h.compute.submits.length;
  const second = await h.wait((await h.start({ plan: p, sources: sources('a2') })).runId);
  assert.equal(second.status, 'Completed');
  assert.deepEqual(Object.fromEntries(Object.entries(second.steps).map(([k, s]) => [k, [s.reused, s.reason]])), {
    a: [false, 'code changed: file a.py'],
    b: [false, 'input x changed'],
    c: [true, `reused from run ${first.runId}`],
  });
  assert.equal(h.compute.submits.length - submits, 2);
  assert.equal(h.compute.jobs.get(second.steps.a?.jobName ?? '')?.spec.code, 'azureml://datastores/workspaceblobstore/paths/LocalUpload/a2/a_src/');
});

test('while a step runs, the run object shows it Running with its job name', async () => {
  h.compute.behaviours.set('watched', { outcome: 'hang' });
  const started = await h.start({ plan: plan('watch', [step('watched', { command: 'sleep 5 watch' })]) });
  const deadline = Date.now() + 10_000;
  let seen: string | null = null;
  while (seen === null) {
    assert.ok(Date.now() < deadline, 'the step showed its job');
    const run = await getRun(h.client, { state: h.state }, started.runId);
    if (run.steps.watched?.status === 'Running') seen = run.steps.watched.jobName;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(seen, `${started.runId}-watched-0`);
  await cancelRun(h.client, { state: h.state }, started.runId);
  assert.equal((await h.wait(started.runId)).status, 'Canceled');
});

test('per-compute caps: at most N jobs run at once on a compute target, other targets are not held back', async () => {
  h.settings = { ...h.settings, maxJobsPerCompute: 1 };
  try {
    for (const name of ['cap1', 'cap2', 'cap3']) h.compute.behaviours.set(name, { outcome: 'Completed', delayMs: 30 });
    const run = await h.wait((await h.start({ plan: plan('caps', [
      step('cap1', { command: 'echo cap1', compute: 'capped' }),
      step('cap2', { command: 'echo cap2', compute: 'capped' }),
      step('cap3', { command: 'echo cap3', compute: 'capped' }),
      step('free', { command: 'echo free caps', compute: 'other' }),
    ]) })).runId);
    assert.equal(run.status, 'Completed');
    assert.equal(h.compute.peakRunning.get('capped'), 1);
    assert.equal(run.steps.free?.status, 'Completed');
  } finally {
    h.settings = { ...h.settings, maxJobsPerCompute: 16 };
  }
});

test('duplicated, late and out-of-order job events, and events before the step waits, change nothing', async () => {
  const publish = h.compute.publish;
  h.compute.publish = async (event) => {
    await publish(event);
    await publish(event);
    if (event.eventType.endsWith('RunCompleted')) await publish({ ...event, id: `${event.id}-late`, eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', data: { ...event.data, runStatus: 'Running' } });
  };
  try {
    h.compute.behaviours.set('early', { outcome: 'Completed', delayMs: 0 });
    const run = await h.wait((await h.start({ plan: plan('dups', [step('early', { command: 'echo early dups', outputs: { out: {} } }), step('next2', { command: 'echo next dups', inputs: { x: { step: 'early', output: 'out' } } })]) })).runId);
    assert.equal(run.status, 'Completed', JSON.stringify(run));
    assert.equal(run.steps.early?.status, 'Completed');
    assert.equal(run.steps.next2?.status, 'Completed');
  } finally {
    h.compute.publish = publish;
  }
});

test('a service hiccup in a run activity is retried by the runtime; the step completes with one job', async () => {
  h.compute.submitFailures.set('hiccup', 1);
  const submits = h.compute.submits.length;
  const run = await h.wait((await h.start({ plan: plan('hiccup', [step('hiccup', { command: 'echo hiccup' })]) })).runId);
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assert.equal(h.compute.submits.length - submits, 1);
  assert.match(run.steps.hiccup?.jobName ?? '', /-hiccup-0$/);
});
