import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { fixtureApp, startTestHost, type TestHost } from '../../_helpers/host';

// The fixture's `tick` timer reads its schedule from %TICK_SCHEDULE%; here every second.
const data = mkdtempSync(path.join(os.tmpdir(), 'amlsched-timers-'));
after(() => rmSync(data, { recursive: true, force: true }));

interface Tick { fn: string; at: string; timer: { isPastDue: boolean; schedule: { adjustForDST: boolean }; scheduleStatus: { last: string; next: string; lastUpdated: string } | null } }

async function ticks(host: TestHost, min: number, fn = 'tick'): Promise<Tick[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const all = ((await (await host.fetch('/api/record')).json()) as { ticks: Tick[] }).ticks;
    const mine = all.filter((t) => t.fn === fn);
    if (mine.length >= min) return mine;
    if (Date.now() > deadline) assert.fail(`only ${mine.length} ${fn} ticks: ${JSON.stringify(all)}`);
    await sleep(200);
  }
}

test('six-field schedule, runOnStartup, and IsPastDue for an occurrence missed while the host was down', async () => {
  const env = { TICK_SCHEDULE: '* * * * * *' };
  const first = await startTestHost({ app: fixtureApp('basic'), dataDir: data, env });
  try {
    const got = await ticks(first, 2);
    for (const t of got) {
      assert.equal(t.timer.isPastDue, false);
      assert.equal(t.timer.schedule.adjustForDST, true);
      const s = t.timer.scheduleStatus;
      assert.ok(s, 'the monitor status is passed to the function');
      assert.equal(Date.parse(s.next) - Date.parse(s.last), 1000, 'every second');
      assert.equal(new Date(s.last).getUTCMilliseconds(), 0, 'occurrences are on the second');
    }
    assert.ok(Date.parse(got[1]!.timer.scheduleStatus!.last) > Date.parse(got[0]!.timer.scheduleStatus!.last));
    const startup = await ticks(first, 1, 'startup');
    assert.equal(startup.length, 1, 'runOnStartup runs once at start');
    assert.equal(startup[0]?.timer.isPastDue, false);
    assert.equal(startup[0]?.timer.scheduleStatus?.next.slice(5), '01-01T00:00:00.000Z', 'its own schedule is yearly');
  } finally {
    await first.stop();
  }
  const missedNext = (JSON.parse(readFileSync(path.join(data, 'timers', 'tick.json'), 'utf8')) as { Next: string }).Next;
  await sleep(Math.max(0, Date.parse(missedNext) - Date.now()) + 1200);

  const second = await startTestHost({ app: fixtureApp('basic'), dataDir: data, env });
  try {
    const got = await ticks(second, 2);
    assert.equal(got[0]?.timer.isPastDue, true, 'the missed occurrence runs at start-up as past due');
    assert.equal(got[0]?.timer.scheduleStatus?.last, missedNext);
    assert.equal(got[1]?.timer.isPastDue, false, 'then the schedule resumes');
    assert.equal((await ticks(second, 1, 'startup')).length, 1);
  } finally {
    await second.stop();
  }
});
