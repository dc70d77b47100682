/**
 * Live progress of a run from the custom status of its orchestrations: the run instance, plus
 * the chunk instances of wide DAGs it names.
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { RunProgress } from './types';

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
    if (chunkStatus) Object.assign(steps, asProgress(chunkStatus.customStatus).steps, { ...steps });
  }
  return { runtimeStatus: String(status.runtimeStatus), progress: { ...progress, steps } };
}

function asProgress(value: unknown): RunProgress {
  if (value && typeof value === 'object' && 'steps' in value) return value as RunProgress;
  return { steps: {} };
}
