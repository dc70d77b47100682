/**
 * Live progress of a run from the custom status of its orchestrations: the run instance, the
 * chunk instances of wide DAGs it names, and the job name of each running top-level step.
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { liveMiniBatches } from '../parallel/progress';
import { stepInstanceId } from './names';
import type { RunProgress, StepResult } from './types';

/** The instance's status, or undefined when the backend does not know it. */
export async function tryGetStatus(client: DurableClient, instanceId: string, showInput = false): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, { showInput });
  } catch (err) {
    if (err instanceof Error && /\b404\b/.test(err.message)) return undefined;
    throw err;
  }
}

export async function readProgress(client: DurableClient, runId: string): Promise<{ runtimeStatus: string; progress: RunProgress } | undefined> {
  const status = await tryGetStatus(client, runId);
  if (!status) return undefined;
  const progress = asProgress(status.customStatus);
  const steps = { ...progress.steps };
  for (const chunk of progress.chunks ?? []) {
    const chunkStatus = await tryGetStatus(client, chunk);
    // Steps the run already holds (finished chunks) win over a chunk's in-flight view.
    if (chunkStatus) for (const [name, step] of Object.entries(asProgress(chunkStatus.customStatus).steps)) steps[name] ??= step;
  }
  // Running parallel steps (marked by miniBatches) count their mini-batches in their own instances.
  for (const [name, step] of Object.entries(steps)) {
    if (step.status === 'Running' && step.miniBatches) steps[name] = { ...step, miniBatches: (await liveMiniBatches(client, stepInstanceId(runId, name))) ?? step.miniBatches };
  }
  await Promise.all(Object.entries(steps).map(async ([name, step]) => {
    if (step.status !== 'Running' || step.jobName) return;
    steps[name] = { ...step, ...(await runningJob(client, stepInstanceId(runId, name))) };
  }));
  return { runtimeStatus: String(status.runtimeStatus), progress: { ...progress, steps } };
}

/** Job name and reuse decision of a running step, from its own orchestration's custom status. */
async function runningJob(client: DurableClient, instanceId: string): Promise<Partial<StepResult>> {
  const custom = (await tryGetStatus(client, instanceId))?.customStatus as { jobName?: unknown; reuse?: StepResult['reuse'] } | undefined;
  if (!custom || typeof custom.jobName !== 'string') return {};
  return { jobName: custom.jobName, ...(custom.reuse ? { reuse: custom.reuse } : {}) };
}

function asProgress(value: unknown): RunProgress {
  if (value && typeof value === 'object' && 'steps' in value) return value as RunProgress;
  return { steps: {} };
}
