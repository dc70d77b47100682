// Kill -9 in the middle of a fan-out, restart on the same database: the orchestration completes
// with every activity result present once, and nothing completes twice in history.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { EventType as E, type HistoryEvent } from '../../../devhost/durable/history';
import { makeAppDir } from '../../_helpers/durable/app-dir';

const RUNNER = path.resolve(__dirname, '..', '..', '_helpers', 'durable', 'crash-runner.js');
const N = 200;

function startRunner(appDir: string, dbFile: string, starts?: unknown[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [RUNNER, appDir, dbFile, ...(starts ? [JSON.stringify(starts)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`runner exited early (${String(code)}): ${stderr}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('crash safety', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-crash-'));
  const app = makeAppDir('conformance');
  const dbFile = path.join(dir, 'host.sqlite');
  const children: ChildProcess[] = [];
  after(async () => {
    for (const c of children) await killHard(c);
    app.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a SIGKILL in the middle of a fan-out loses no result and duplicates none', async () => {
    const first = await startRunner(app.dir, dbFile, [
      { name: 'slowFanOut', instanceId: 'crash-fan', input: { n: N, ms: 5 } },
      { name: 'timer', instanceId: 'crash-timer', input: 1500 },
    ]);
    children.push(first);
    const db = new Database(dbFile, { readonly: true });
    const completedCount = () => db.prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM dt_history WHERE instance_id = 'crash-fan' AND json_extract(event, '$.EventType') = 5").get()?.n ?? 0;
    await until('some activities to complete', () => (completedCount() >= 40 ? true : undefined));
    await killHard(first);
    const before = completedCount();
    const pending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM dt_activities WHERE instance_id = 'crash-fan'").get()?.n ?? 0;
    assert.ok(before < N, `killed mid fan-out (completed ${before})`);
    assert.ok(pending > 0, 'unfinished activities survived the kill');

    const second = await startRunner(app.dir, dbFile);
    children.push(second);
    const statusOf = (id: string) => db.prepare<[string], { status: string; output: string | null }>(
      'SELECT status, output FROM dt_instances WHERE instance_id = ?').get(id);
    const fan = await until('the fan-out to finish after restart', () => {
      const row = statusOf('crash-fan');
      return row && row.status !== 'Running' && row.status !== 'Pending' ? row : undefined;
    });
    assert.equal(fan.status, 'Completed');
    assert.deepEqual(JSON.parse(fan.output ?? 'null'), Array.from({ length: N }, (_, i) => i * 10));

    const history = db.prepare<[], { event: string }>("SELECT event FROM dt_history WHERE instance_id = 'crash-fan' ORDER BY seq")
      .all().map((r) => JSON.parse(r.event) as HistoryEvent);
    const scheduled = history.filter((e) => e.EventType === E.TaskScheduled).map((e) => e.EventId);
    const completed = history.filter((e) => e.EventType === E.TaskCompleted).map((e) => e.TaskScheduledId as number);
    assert.equal(scheduled.length, N);
    assert.equal(completed.length, N, 'every result recorded exactly once');
    assert.equal(new Set(completed).size, N);
    assert.deepEqual([...completed].sort((a, b) => a - b), scheduled);
    assert.equal(history.filter((e) => e.EventType === E.ExecutionStarted).length, 1);

    const timer = await until('the timer instance to finish after restart', () => {
      const row = statusOf('crash-timer');
      return row?.status === 'Completed' ? row : undefined;
    });
    assert.deepEqual(JSON.parse(timer.output ?? 'null'), { waited: true });
    db.close();
  });
});
