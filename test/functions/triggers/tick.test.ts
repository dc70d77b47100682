/**
 * The minute tick's core with an injected clock: fire times in Pacific time across both DST
 * changes, catch-up after downtime per policy, no firing on creation, start/end times, disabled
 * schedules, concurrent ticks, and a failed start retried by the next tick.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tickSchedules } from '../../../functions/triggers/tick';
import { LedgerStore } from '../../../shared/triggers/ledger-store';
import { timerRunId } from '../../../shared/triggers/run-ids';
import { startableRunId } from '../../../shared/triggers/start-ids';
import { SchedulesStore } from '../../../shared/api/schedules-store';
import { triggerTestbed, type TriggerTestbed } from '../../_helpers/trigger-runtime/deps';

function cronYaml(name: string, expression: string, extra = ''): string {
  return `$schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
name: ${name}
trigger:
  type: cron
  expression: "${expression}"
${extra}create_job:
  job: azureml:hello
`;
}

/** Ticks every minute from `from` (exclusive) to `to` (inclusive), as the timer would. */
async function tickEveryMinute(bed: TriggerTestbed, from: Date, to: Date): Promise<void> {
  for (let t = from.getTime() + 60_000; t <= to.getTime(); t += 60_000) {
    bed.clock.now = new Date(t);
    await tickSchedules(bed.deps, bed.clock.now);
  }
}

const fired = (bed: TriggerTestbed) => bed.started.map((s) => s.context.triggerTime.toISOString());

describe('schedule tick', () => {
  it('fires a Pacific Standard Time cron at the right instants across spring-forward', async () => {
    const created = new Date('2026-03-07T08:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('pst_spring', '30 2 * * *', '  time_zone: Pacific Standard Time\n'));
    await tickEveryMinute(bed, created, new Date('2026-03-09T12:00:00Z'));
    // 02:30 PST; the skipped 02:30 of 8 March fires at 03:00 PDT; then 02:30 PDT.
    assert.deepEqual(fired(bed), ['2026-03-07T10:30:00.000Z', '2026-03-08T10:00:00.000Z', '2026-03-09T09:30:00.000Z']);
    for (const run of bed.started) {
      assert.equal(run.runId, startableRunId(timerRunId('pst_spring', run.context.triggerTime)));
      assert.deepEqual(run.trigger, { type: 'schedule', schedule: 'pst_spring', fireTime: run.context.triggerTime.toISOString() });
    }
  });

  it('fires once in the hour repeated by fall-back', async () => {
    const created = new Date('2026-10-31T06:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('pst_fall', '30 1 * * *', '  time_zone: Pacific Standard Time\n'));
    await tickEveryMinute(bed, created, new Date('2026-11-02T12:00:00Z'));
    assert.deepEqual(fired(bed), ['2026-10-31T08:30:00.000Z', '2026-11-01T08:30:00.000Z', '2026-11-02T09:30:00.000Z']);
  });

  it('creating a schedule does not fire it at once', async () => {
    const created = new Date('2026-05-01T10:00:30Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('every_minute', '* * * * *'));
    bed.clock.now = new Date('2026-05-01T10:00:31Z');
    await tickSchedules(bed.deps, bed.clock.now);
    assert.deepEqual(bed.started, []);
    bed.clock.now = new Date('2026-05-01T10:01:00Z');
    await tickSchedules(bed.deps, bed.clock.now);
    assert.deepEqual(fired(bed), ['2026-05-01T10:01:00.000Z']);
  });

  for (const [policy, expected, skipped] of [
    ['latest', ['2026-05-01T10:25:00.000Z'], 2],
    ['all', ['2026-05-01T10:15:00.000Z', '2026-05-01T10:20:00.000Z', '2026-05-01T10:25:00.000Z'], 0],
    ['skip', [], 3],
  ] as const) {
    it(`a host stopped over three fire times catches up with catch_up: ${policy}`, async () => {
      const created = new Date('2026-05-01T10:00:00Z');
      const bed = triggerTestbed(created);
      await bed.addSchedule(cronYaml(`five_${policy}`, '*/5 * * * *', `  catch_up: ${policy}\n`));
      await tickEveryMinute(bed, created, new Date('2026-05-01T10:11:00Z'));
      assert.deepEqual(fired(bed), ['2026-05-01T10:05:00.000Z', '2026-05-01T10:10:00.000Z']);
      // Down from 10:11 until 10:27:30: 10:15, 10:20 and 10:25 were missed.
      bed.started.length = 0;
      bed.clock.now = new Date('2026-05-01T10:27:30Z');
      await tickSchedules(bed.deps, bed.clock.now);
      assert.deepEqual(fired(bed), expected);
      const history = (await new LedgerStore(bed.state).history({ schedule: `five_${policy}` })).entries;
      const missed = history.filter((e) => e.outcome === 'filtered');
      assert.equal(missed.length, skipped > 0 ? 1 : 0);
      if (skipped > 0) assert.match(missed[0]!.reason!, new RegExp(`^${skipped} missed fire time\\(s\\) .*catch_up: ${policy}`));
      // Back to normal: the next fire time starts on time.
      bed.started.length = 0;
      await tickEveryMinute(bed, bed.clock.now, new Date('2026-05-01T10:30:30Z'));
      assert.deepEqual(fired(bed), ['2026-05-01T10:30:00.000Z']);
    });
  }

  it('honours start_time and end_time', async () => {
    const created = new Date('2026-05-01T10:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('bounded', '*/10 * * * *', '  start_time: "2026-05-01T10:15:00"\n  end_time: "2026-05-01T10:40:00"\n'));
    await tickEveryMinute(bed, created, new Date('2026-05-01T11:10:00Z'));
    assert.deepEqual(fired(bed), ['2026-05-01T10:20:00.000Z', '2026-05-01T10:30:00.000Z', '2026-05-01T10:40:00.000Z']);
  });

  it('a disabled schedule does not fire, and enabling it does not replay what it missed', async () => {
    const created = new Date('2026-05-01T10:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('toggled', '*/5 * * * *'));
    const store = new SchedulesStore(bed.state);
    await store.setEnabled('toggled', false);
    await tickEveryMinute(bed, created, new Date('2026-05-01T10:20:00Z'));
    assert.deepEqual(bed.started, []);
    await store.setEnabled('toggled', true);
    await tickEveryMinute(bed, bed.clock.now, new Date('2026-05-01T10:25:00Z'));
    assert.deepEqual(fired(bed), ['2026-05-01T10:25:00.000Z']);
  });

  it('a schedule deleted and created again does not replay the time in between', async () => {
    const created = new Date('2026-05-01T10:00:00Z');
    const bed = triggerTestbed(created);
    const yaml = cronYaml('again', '*/5 * * * *');
    await bed.addSchedule(yaml);
    await tickEveryMinute(bed, created, new Date('2026-05-01T10:06:00Z'));
    assert.deepEqual(fired(bed), ['2026-05-01T10:05:00.000Z']);
    await new SchedulesStore(bed.state).delete('again');
    await tickEveryMinute(bed, bed.clock.now, new Date('2026-05-01T10:32:00Z'));
    await bed.addSchedule(yaml, bed.clock.now);
    await tickEveryMinute(bed, bed.clock.now, new Date('2026-05-01T10:36:00Z'));
    assert.deepEqual(fired(bed), ['2026-05-01T10:05:00.000Z', '2026-05-01T10:35:00.000Z']);
  });

  it('two ticks at once start each fire time once; the other records the duplicate', async () => {
    const created = new Date('2026-05-01T10:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('racy', '*/5 * * * *'));
    bed.clock.now = new Date('2026-05-01T10:05:00Z');
    await Promise.all([tickSchedules(bed.deps, bed.clock.now), tickSchedules(bed.deps, bed.clock.now)]);
    assert.deepEqual(fired(bed), ['2026-05-01T10:05:00.000Z']);
    const history = (await new LedgerStore(bed.state).history({ schedule: 'racy' })).entries;
    assert.deepEqual(history.map((e) => e.outcome).sort(), ['deduplicated', 'started']);
    const runId = startableRunId(timerRunId('racy', new Date('2026-05-01T10:05:00Z')));
    assert.ok(history.every((e) => e.runId === runId && e.eventId === 'timer:racy:2026-05-01T10:05:00.000Z'));
  });

  it('a fire time whose start failed is recorded and started by the next tick', async () => {
    const created = new Date('2026-05-01T10:00:00Z');
    const bed = triggerTestbed(created);
    await bed.addSchedule(cronYaml('flaky', '*/5 * * * *'));
    const runId = startableRunId(timerRunId('flaky', new Date('2026-05-01T10:05:00Z')));
    bed.failNext.set(runId, new Error('durable store unavailable'));
    await tickEveryMinute(bed, created, new Date('2026-05-01T10:06:00Z'));
    assert.deepEqual(fired(bed), ['2026-05-01T10:05:00.000Z']);
    const history = (await new LedgerStore(bed.state).history({ schedule: 'flaky' })).entries.reverse();
    assert.deepEqual(history.map((e) => e.outcome), ['failed', 'started']);
    assert.match(history[0]!.reason!, /durable store unavailable/);
  });
});
