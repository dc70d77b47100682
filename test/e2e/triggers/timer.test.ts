/**
 * The minute timer through the local host's real timer: a cron schedule applied now fires at
 * the next minute (not at creation), with run id and ledger event from name + fire time, and
 * `${{name}}` / `${{creation_context.trigger_time}}` resolved in the job's inputs. (Fire-time
 * arithmetic, DST and catch-up are tested on the tick core with an injected clock.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { productRoot } from '../../../devhost/product-root';
import { timerRunId } from '../../../shared/triggers/run-ids';
import { startableRunId } from '../../../shared/triggers/start-ids';
import { startTriggerHost, type TriggerHost } from '../../_helpers/trigger-runtime/host-api';

const PIPELINE = path.join(productRoot(), 'test', 'fixtures', 'trigger-runtime', 'echo', 'pipeline.yml');

let th: TriggerHost;

before(async () => {
  th = await startTriggerHost();
});

after(async () => {
  await th?.stop();
});

test('a cron schedule fires at the next minute through the timer, with its expressions resolved', async () => {
  const applied = new Date();
  await th.applySchedule(`$schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
name: e2e_every_minute
trigger:
  type: cron
  expression: "* * * * *"
create_job:
  job: ./pipeline.yml
  inputs:
    subject: \${{name}}
    detail: \${{creation_context.trigger_time}}
`, PIPELINE);
  const [run] = await th.waitFor('a timer run', async () => {
    const runs = await th.runsOf('e2e_every_minute');
    return runs.length > 0 ? runs : undefined;
  }, 90_000);
  const fireTime = new Date(run!.trigger.fireTime!);
  assert.equal(run!.trigger.type, 'schedule');
  assert.equal(fireTime.getUTCSeconds(), 0);
  assert.ok(fireTime > applied, `fired at ${fireTime.toISOString()}, applied at ${applied.toISOString()}: not on creation`);
  assert.equal(run!.runId, startableRunId(timerRunId('e2e_every_minute', fireTime)));
  assert.equal((await th.waitForEnd(run!.runId)).status, 'Completed');
  const logs = await (await th.call('GET', `/api/runs/${run!.runId}/steps/echo/logs`)).text();
  assert.match(logs, new RegExp(`subject=${run!.runId} detail=${fireTime.toISOString().replace(/\./g, '\\.')}`));
  const history = await th.history('e2e_every_minute');
  const started = history.find((e) => e.outcome === 'started' && e.runId === run!.runId);
  assert.equal(started?.eventId, `timer:e2e_every_minute:${fireTime.toISOString()}`);
});
