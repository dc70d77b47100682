/**
 * `--wait`: follows a run to its end by polling `GET /api/runs/{id}`, reporting each step's
 * status change as it happens (one line per change, to the stream the caller picks).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../../../shared/api/client';
import type { RunObject } from '../../../shared/run/types';

const FINISHED = new Set(['Completed', 'Failed', 'Canceled']);

/** Poll interval; `AMLSCHED_POLL_MS` shortens it in tests and scripts. */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.AMLSCHED_POLL_MS);
  return Number.isFinite(n) && n >= 50 ? n : 1000;
}

function describe(name: string, step: RunObject['steps'][string]): string {
  const extra = [
    step.jobName ? `job ${step.jobName}` : '',
    step.reused ? `reused: ${step.reason ?? ''}` : '',
    step.miniBatches?.total ? `mini-batches ${step.miniBatches.done}/${step.miniBatches.total}${step.miniBatches.failed ? `, ${step.miniBatches.failed} failed` : ''}` : '',
    step.error ? `${step.error.message} (${step.error.code})` : '',
  ].filter(Boolean).join(', ');
  return `step ${name}: ${step.status}${extra ? ` (${extra})` : ''}`;
}

export async function followRun(client: ApiClient, first: RunObject, report: (line: string) => void, intervalMs = pollIntervalMs()): Promise<RunObject> {
  const seen = new Map<string, string>();
  let lastRunStatus = '';
  let run = first;
  for (;;) {
    if (run.status !== lastRunStatus) {
      report(`run ${run.runId}: ${run.status}`);
      lastRunStatus = run.status;
    }
    for (const [name, step] of Object.entries(run.steps)) {
      const key = `${step.status}|${step.jobName ?? ''}|${step.miniBatches ? `${step.miniBatches.done}/${step.miniBatches.failed}/${step.miniBatches.total}` : ''}`;
      if (seen.get(name) !== key && !(step.status === 'NotStarted' && !seen.has(name))) report(describe(name, step));
      seen.set(name, key);
    }
    if (FINISHED.has(run.status)) return run;
    await sleep(intervalMs);
    run = await client.get<RunObject>(`api/runs/${encodeURIComponent(run.runId)}`);
  }
}
