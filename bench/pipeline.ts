/**
 * Benchmark of pipeline runs through the real run orchestrators (pipelineRun → chunks/graph →
 * steps) on the local Durable backend, with a scripted compute whose jobs end at once and deliver
 * their status events through the Event Grid function (no subprocesses). One JSON line per case:
 *   dag-chunked  LEVELS × WIDTH (10 × 100) no-op steps, chunk size = product default (50)
 *   dag-flat     the same DAG with chunk size ≥ steps (the flat design), plus chunked/flat ratios
 *   chain        CHAIN (20) steps in a row: per-step overhead of the run machinery
 * replay_cpu_ms: every episode of the run replayed again afterwards, one at a time, with the history
 * it saw (bench/pipeline-replay.ts; a systematic sample of REPLAY_SAMPLE episodes when there are more);
 * inflight_orchestrator_cpu_ms: process CPU while an orchestrator invocation was in flight during the
 * run (bench/pipeline-meter.ts), a cross-check. History events and episodes (OrchestratorStarted
 * events) are counted in the host's SQLite tables.
 *   node dist/bench/pipeline.js [dag-chunked|dag-flat|chain ...]   LEVELS=… WIDTH=… CHAIN=… CASE_TIMEOUT_S=… REPLAY_SAMPLE=…
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { DEFAULT_RUN_SETTINGS } from '../shared/run/settings';
import type { PipelinePlan } from '../shared/spec/plan';
import { startRunsHarness, type RunsHarness } from '../test/_helpers/runs/harness';
import { InvocationMeter, type MeterTotals } from './pipeline-meter';
import { chainPlan, layeredPlan } from './pipeline-plan';
import { replayCost, type ReplayCost } from './pipeline-replay';

const PEER = 'amlsched-local';
const LEVELS = Number(process.env.LEVELS ?? 10);
const WIDTH = Number(process.env.WIDTH ?? 100);
const CHAIN = Number(process.env.CHAIN ?? 20);
/** At most this many episodes are replayed again for the isolated replay-CPU figure. */
const REPLAY_SAMPLE = Number(process.env.REPLAY_SAMPLE ?? 1500);
const CASE_TIMEOUT_MS = Number(process.env.CASE_TIMEOUT_S ?? 240) * 1000;
type CaseName = 'dag-chunked' | 'dag-flat' | 'chain';

const r = (x: number | null | undefined, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

interface Measured {
  runId: string;
  steps: number;
  wallMs: number;
  processCpuMs: number;
  meter: MeterTotals;
  jobs: number;
  statusEvents: number;
  /** The run had not ended at CASE_TIMEOUT_S: every figure is what it had done by then. */
  timedOut: boolean;
}

/** Job status events that failed delivery and were delivered again (as Event Grid redelivers). */
let redeliveries = 0;

/**
 * Job status events go to the Event Grid function as in the harness, but a failed delivery is
 * retried (Event Grid redelivers on any failure) instead of failing the fake job's timer callback.
 */
function deliverWithRetries(h: RunsHarness): void {
  h.compute.publish = async (event) => {
    h.delivered.push(event);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await h.app.invoke({ functionName: 'amlJobEvents', triggerData: { json: JSON.stringify(event) } });
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        redeliveries += 1;
        process.stderr.write(`bench pipeline: event ${event.id} delivery failed (${err instanceof Error ? err.message : String(err)}), redelivering\n`);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  };
}

interface HistoryRow { id: string; events: number; episodes: number }

/** Runs `plan` to its end with `chunkSize`, every job completing at once. */
async function measure(h: RunsHarness, meter: InvocationMeter, plan: PipelinePlan, chunkSize: number): Promise<Measured> {
  h.settings = { ...DEFAULT_RUN_SETTINGS, chunkSize };
  for (const s of plan.steps) h.compute.behaviours.set(s.name, { outcome: 'Completed', delayMs: 0 });
  const jobsBefore = h.compute.submits.length;
  h.delivered.length = 0;
  redeliveries = 0;
  meter.take();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const { runId } = await h.start({ plan });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CASE_TIMEOUT_MS);
  });
  const status = await Promise.race([h.backend.whenFinished(runId), timeout]);
  clearTimeout(timer);
  const timedOut = status === 'timeout';
  if (!timedOut && status.runtimeStatus !== 'Completed') throw new Error(`run ${runId} ended ${status.runtimeStatus}: ${JSON.stringify(status.output).slice(0, 500)}`);
  const wallMs = performance.now() - start;
  if (!timedOut) {
    // Let the last activities' bookkeeping settle before reading the counters.
    await h.backend.idle();
    const run = await h.wait(runId);
    if (run.status !== 'Completed') throw new Error(`run ${runId} is ${run.status} in the catalogue`);
  }
  const used = process.cpuUsage(cpu);
  return { runId, steps: plan.steps.length, wallMs, processCpuMs: (used.user + used.system) / 1000, meter: meter.take(), jobs: h.compute.submits.length - jobsBefore, statusEvents: h.delivered.length, timedOut };
}

function historyOf(h: RunsHarness, runId: string): HistoryRow[] {
  return h.backend.db.prepare<[string, string], HistoryRow>(
    `SELECT instance_id AS id, COUNT(*) AS events, SUM(json_extract(event, '$.EventType') = 12) AS episodes
     FROM dt_history WHERE instance_id = ? OR instance_id LIKE ? GROUP BY instance_id`,
  ).all(runId, `${runId}:%`);
}

/** Start time of each step (its first episode), in step order. */
function stepStarts(h: RunsHarness, runId: string, names: string[]): number[] {
  const first = h.backend.db.prepare<[string], { event: string }>('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq LIMIT 1');
  return names.map((n) => {
    const row = first.get(`${runId}:${n}`);
    if (!row) throw new Error(`no history for step ${n} of ${runId}`);
    return Date.parse((JSON.parse(row.event) as { Timestamp: string }).Timestamp);
  });
}

function report(c: CaseName, m: Measured, rows: HistoryRow[], replay: ReplayCost | undefined, extra: Record<string, unknown> = {}): void {
  const kind = (id: string) => (id === m.runId ? 'run' : id.includes('~chunk-') ? 'chunk' : 'step');
  const sum = (pick: (x: HistoryRow) => number, k?: string) => rows.filter((x) => !k || kind(x.id) === k).reduce((s, x) => s + pick(x), 0);
  const episodes = sum((x) => x.episodes);
  const stateChanges = m.jobs + m.statusEvents; // submit (Queued), then every status event delivered
  // Per-step figures of a run cut short count the steps it completed.
  const perStep = m.timedOut ? Math.max(1, m.meter.activities.runs_completeStep ?? 0) : m.steps;
  const line = {
    peer: PEER, case: c, steps: m.steps, chunk_size: extra.chunk_size,
    ...(m.timedOut ? { timed_out_after_s: CASE_TIMEOUT_MS / 1000, steps_completed: m.meter.activities.runs_completeStep ?? 0 } : {}),
    wall_ms: r(m.wallMs, 1), per_step_ms: r(m.wallMs / m.steps),
    replay_cpu_ms: r(replay?.cpuMs, 1), replay_episodes_sampled: replay?.sampled ?? 0, replayed_history_events: replay?.eventsReplayed ?? null,
    inflight_orchestrator_cpu_ms: r(m.meter.orchestratorCpuMs, 1), inflight_orchestrator_wall_ms: r(m.meter.orchestratorBusyMs, 1),
    process_cpu_ms: r(m.processCpuMs, 1),
    orchestrations: rows.length, chunk_orchestrations: rows.filter((x) => kind(x.id) === 'chunk').length,
    max_history_events: Math.max(...rows.map((x) => x.events)),
    max_history_events_by_kind: { run: Math.max(0, ...rows.filter((x) => kind(x.id) === 'run').map((x) => x.events)), chunk: Math.max(0, ...rows.filter((x) => kind(x.id) === 'chunk').map((x) => x.events)), step: Math.max(0, ...rows.filter((x) => kind(x.id) === 'step').map((x) => x.events)) },
    total_history_events: sum((x) => x.events),
    orchestrator_invocations: m.meter.orchestratorInvocations,
    episodes, episodes_by_kind: { run: sum((x) => x.episodes, 'run'), chunk: sum((x) => x.episodes, 'chunk'), step: sum((x) => x.episodes, 'step') },
    episodes_per_step: r(episodes / perStep), activities_per_step: r(m.meter.activityInvocations / perStep),
    activities: m.meter.activities,
    jobs: m.jobs, job_state_changes: stateChanges,
    episodes_per_job_state_change: r(episodes / stateChanges), activities_per_job_state_change: r(m.meter.activityInvocations / stateChanges),
    max_concurrent_orchestrator_invocations: m.meter.maxConcurrentOrchestrators,
    event_redeliveries: redeliveries,
    ...extra,
    node_peak_rss_mb: r(process.resourceUsage().maxRSS / 1024, 1), node: process.version,
    backend: 'local Durable backend, SQLite :memory:, scripted compute (jobs end at once, events via amlJobEvents)',
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** History rows of the run and its isolated replay cost (the replays are not counted as run work). */
async function afterRun(h: RunsHarness, meter: InvocationMeter, runId: string): Promise<{ rows: HistoryRow[]; replay: ReplayCost }> {
  const rows = historyOf(h, runId);
  const episodes = rows.reduce((n, x) => n + x.episodes, 0);
  const replay = await replayCost(h.app, h.backend.db, rows.map((x) => x.id), Math.max(1, Math.ceil(episodes / REPLAY_SAMPLE)));
  meter.take();
  return { rows, replay };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // The flat case last: if it does not end in time, its run cannot be drained and the bench stops there.
  const wanted = (args.length ? args : ['dag-chunked', 'chain', 'dag-flat']) as CaseName[];
  for (const c of wanted) if (!['dag-chunked', 'dag-flat', 'chain'].includes(c)) throw new Error(`unknown case ${c} (dag-chunked, dag-flat, chain)`);
  // Node 20's global agent keeps idle sockets 5 s, as long as the host server's keepAliveTimeout:
  // a DurableClient call after a pause (a long synchronous replay) can reuse a socket the server
  // is closing (ECONNRESET). The bench's loopback calls open a connection each instead.
  http.globalAgent = new http.Agent({ keepAlive: false });
  const h = await startRunsHarness();
  const meter = new InvocationMeter(h.app);
  deliverWithRetries(h);
  try {
    // Warm-up (not reported): loads the activities' services and JITs the replay path.
    await measure(h, meter, layeredPlan('warm', 2, 10), DEFAULT_RUN_SETTINGS.chunkSize);
    const costs: Partial<Record<CaseName, { replay: number; inflight: number }>> = {};
    for (const c of wanted) {
      process.stderr.write(`bench pipeline: ${c}\n`);
      if (c === 'chain') {
        const plan = chainPlan('chain', CHAIN);
        const m = await measure(h, meter, plan, DEFAULT_RUN_SETTINGS.chunkSize);
        const starts = stepStarts(h, m.runId, plan.steps.map((s) => s.name));
        const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number)).sort((a, b) => a - b);
        const { rows, replay } = await afterRun(h, meter, m.runId);
        report(c, m, rows, replay, { chunk_size: DEFAULT_RUN_SETTINGS.chunkSize, step_gap_ms: { p50: r(quantile(gaps, 0.5), 1), p95: r(quantile(gaps, 0.95), 1), max: r(gaps[gaps.length - 1], 1) } });
        continue;
      }
      const steps = LEVELS * WIDTH;
      const chunkSize = c === 'dag-flat' ? Math.max(1000, steps) : DEFAULT_RUN_SETTINGS.chunkSize;
      const m = await measure(h, meter, layeredPlan(c, LEVELS, WIDTH), chunkSize);
      // A run that timed out is still going: only what it did so far is reported (a lower bound).
      const { rows, replay } = m.timedOut ? { rows: historyOf(h, m.runId), replay: undefined } : await afterRun(h, meter, m.runId);
      costs[c] = { replay: replay?.cpuMs ?? Number.NaN, inflight: m.meter.orchestratorCpuMs };
      const chunked = costs['dag-chunked'];
      const ratio = c === 'dag-flat' && chunked
        ? { replay_cpu_ratio_chunked_over_flat: r(chunked.replay / (replay?.cpuMs ?? Number.NaN), 4), inflight_cpu_ratio_chunked_over_flat: r(chunked.inflight / m.meter.orchestratorCpuMs, 4) }
        : {};
      report(c, m, rows, replay, { chunk_size: chunkSize, levels: LEVELS, width: WIDTH, ...ratio });
      if (m.timedOut) {
        process.stderr.write(`bench pipeline: ${c} did not end within ${CASE_TIMEOUT_MS / 1000}s (CASE_TIMEOUT_S); reported as a lower bound, stopping\n`);
        // The harness cannot close while the run goes on; its temporary app folder goes now, the process at exit.
        rmSync(h.app.dir, { recursive: true, force: true });
        return;
      }
    }
    await h.close();
  } catch (err) {
    await h.close();
    throw err;
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench pipeline: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
