/**
 * Live mini-batch progress of a running parallel step for run objects: the step orchestration's
 * custom status counts the finished chunks, the running chunk's custom status the rest.
 */
import type { DurableClient } from 'durable-functions';
import { parallelChunkInstanceId, type MiniBatchProgress } from './types';

interface StepStatus { miniBatches?: MiniBatchProgress; chunk?: number }
interface ChunkStatus { miniBatches?: MiniBatchProgress }

export async function liveMiniBatches(client: DurableClient, stepInstanceId: string): Promise<MiniBatchProgress | undefined> {
  const step = (await status(client, stepInstanceId)) as StepStatus | undefined;
  if (!step?.miniBatches) return undefined;
  const progress = { ...step.miniBatches };
  if (step.chunk !== undefined) {
    const chunk = (await status(client, parallelChunkInstanceId(stepInstanceId, step.chunk))) as ChunkStatus | undefined;
    progress.done += chunk?.miniBatches?.done ?? 0;
    progress.failed += chunk?.miniBatches?.failed ?? 0;
  }
  return progress;
}

async function status(client: DurableClient, instanceId: string): Promise<unknown> {
  try {
    return (await client.getStatus(instanceId, { showInput: false }))?.customStatus;
  } catch {
    // Not started yet, or already purged: no live numbers.
    return undefined;
  }
}
