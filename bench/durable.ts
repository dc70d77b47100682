/**
 * Benchmark of the local Durable backend in the shapes of ../shared/bench-peers (chain of 100,
 * fan-out of 1,000 + fan-in, DAG of 5 levels × 20), no-op activities, one JSON line per case in the
 * peers' format, plus replay time against history length. Runs the real stack: app loaded through
 * the core shim, orchestrations replayed by durable-functions, SQLite file in WAL mode.
 *   node dist/bench/durable.js [chain|fanout|dag|replay ...]   (REPS=3 by default)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadApp } from '../devhost/functions/app-loader';
import type { LoadedApp } from '../devhost/functions/types';
import { createDurableBackend, type DurableHost } from '../devhost/durable/index';
import { bindingInfoJson } from '../devhost/durable/episode';
import type { HistoryEvent } from '../devhost/durable/history';
import { ReplayLog, type ReplayPayload } from '../devhost/durable/replay-log';

const PEER = 'amlsched-local';
const CONCURRENCY = 20;
const REPS = Math.max(1, Math.min(10, Number(process.env.REPS ?? 3)));
const CASES = {
  chain: { steps: 100, warm: 10 },
  fanout: { steps: 1000, warm: 50 },
  dag: { levels: 5, width: 20, warmLevels: 2, warmWidth: 5 },
};
type CaseName = keyof typeof CASES | 'replay';

const r = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? null : Number(x.toFixed(d)));
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5) as number;
function gapStats(marks: number[]) {
  const gaps = marks.slice(1).map((m, i) => m - (marks[i] as number)).sort((a, b) => a - b);
  return { p50: r(quantile(gaps, 0.5)), p95: r(quantile(gaps, 0.95)), max: r(gaps[gaps.length - 1]) };
}

interface Bench {
  app: LoadedApp;
  durable: DurableHost;
  marks: number[];
  dir: string;
}

async function setup(): Promise<Bench> {
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-bench-'));
  const appModule = path.join(__dirname, 'durable-app.js');
  const appDir = path.join(dir, 'app');
  const hostJson = { version: '2.0', extensions: { durableTask: { maxConcurrentActivityFunctions: CONCURRENCY } } };
  mkdirSync(appDir);
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'bench-app', main: 'index.js' }));
  writeFileSync(path.join(appDir, 'index.js'), `module.exports = require(${JSON.stringify(appModule)});\n`);
  writeFileSync(path.join(appDir, 'host.json'), JSON.stringify(hostJson));
  const app = await loadApp(appDir);
  const durable = createDurableBackend({ app, dbPath: path.join(dir, 'host.sqlite'), hostJson });
  const { marks } = createRequire(__filename)(appModule) as { marks: number[] };
  return { app, durable, marks, dir };
}

async function runOrchestration(b: Bench, name: string, input: unknown): Promise<void> {
  const id = await b.durable.startNew(name, { input });
  const status = await b.durable.whenFinished(id);
  if (status.runtimeStatus !== 'Completed') throw new Error(`${name} ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
}

async function runCase(b: Bench, name: keyof typeof CASES): Promise<void> {
  const once = async (warm: boolean) => {
    b.marks.length = 0;
    const start = performance.now();
    if (name === 'chain') await runOrchestration(b, 'benchChain', warm ? CASES.chain.warm : CASES.chain.steps);
    else if (name === 'fanout') await runOrchestration(b, 'benchFanout', warm ? CASES.fanout.warm : CASES.fanout.steps);
    else await runOrchestration(b, 'benchDag', warm ? { levels: CASES.dag.warmLevels, width: CASES.dag.warmWidth } : { levels: CASES.dag.levels, width: CASES.dag.width });
    return performance.now() - start;
  };
  await once(true);
  const walls: number[] = [];
  const cpus: number[] = [];
  const gaps: ReturnType<typeof gapStats>[] = [];
  let stepsSeen = 0;
  for (let i = 0; i < REPS; i++) {
    const cpu = process.cpuUsage();
    walls.push(await once(false));
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    stepsSeen = b.marks.length;
    if (name === 'chain') gaps.push(gapStats(b.marks));
  }
  const steps = name === 'chain' ? CASES.chain.steps : name === 'fanout' ? CASES.fanout.steps : CASES.dag.levels * CASES.dag.width;
  const wall = median(walls);
  process.stdout.write(`${JSON.stringify({
    peer: PEER, case: name, steps, steps_executed_last_rep: stepsSeen, reps: REPS,
    wall_ms_median: r(wall, 1), wall_ms_all: walls.map((w) => r(w, 1)), per_step_ms: r(wall / steps),
    steps_per_sec: r(steps / (wall / 1000), 1),
    ...(name === 'chain' ? { step_gap_ms: gaps[Math.floor(gaps.length / 2)] } : {}),
    cpu_ms_per_step: r(median(cpus) / steps),
    node_peak_rss_mb: r(process.resourceUsage().maxRSS / 1024, 1), server_peak_pss_mb: null,
    worker_concurrency: CONCURRENCY, node: process.version,
    durability: 'SQLite WAL synchronous=NORMAL (file), one transaction per orchestration episode',
  })}\n`);
}

/** Time of one orchestrator replay against the length of its history (chain histories). */
async function runReplay(b: Bench): Promise<void> {
  for (const n of [10, 100, 500, 1000]) {
    const id = await b.durable.startNew('benchChain', { input: n });
    await b.durable.whenFinished(id);
    const rows = b.durable.db.prepare<[string], { event: string }>('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq').all(id);
    // Replay the state just before the last episode's completion (the longest replay of the run).
    const lastStart = rows.map((row) => JSON.parse(row.event) as HistoryEvent).findLastIndex((e) => e.EventType === 12);
    const timed = (payload: ReplayPayload) => {
      const log = new ReplayLog('x', payload);
      for (const row of rows.slice(0, lastStart + 2)) log.append(JSON.parse(row.event) as HistoryEvent, row.event);
      return async () => {
        const json = bindingInfoJson(id, null, String(n), log.json, true);
        const start = performance.now();
        await b.app.invoke({ functionName: 'benchChain', triggerData: { string: json } });
        return performance.now() - start;
      };
    };
    const result: Record<string, number | null> = {};
    for (const payload of ['full', 'read-events'] as const) {
      const run = timed(payload);
      await run();
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await run());
      result[payload] = r(median(times));
    }
    process.stdout.write(`${JSON.stringify({
      peer: PEER, case: 'replay', chain_steps: n, history_events: lastStart + 2,
      replay_ms_full_history: result.full, replay_ms_read_events: result['read-events'],
      node_peak_rss_mb: r(process.resourceUsage().maxRSS / 1024, 1), node: process.version,
    })}\n`);
  }
}

async function main(): Promise<void> {
  const wanted = (process.argv.slice(2).length ? process.argv.slice(2) : ['chain', 'fanout', 'dag', 'replay']) as CaseName[];
  const b = await setup();
  try {
    for (const name of wanted) {
      if (name === 'replay') await runReplay(b);
      else if (name in CASES) await runCase(b, name);
      else throw new Error(`unknown case ${String(name)} (chain, fanout, dag, replay)`);
    }
  } finally {
    await b.durable.stop();
    await b.app.terminate();
    rmSync(b.dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
