/** Polling and cancelling a job (the backstop path and cancellation). */
import { toSerializedError } from '../../shared/errors';
import type { PollJobResult } from '../../shared/run/step-types';
import type { ActivityDeps } from './deps';

export async function pollJob(deps: ActivityDeps, input: { jobName: string }): Promise<PollJobResult> {
  const job = await deps.compute.get(input.jobName);
  return { jobName: job.name, status: job.status, ...(job.error ? { error: job.error } : {}) };
}

/** Requests cancellation; a job that already ended (or never existed) is left as it is. */
export async function cancelJob(deps: ActivityDeps, input: { jobName: string }): Promise<{ canceled: boolean; error?: string }> {
  try {
    await deps.compute.cancel(input.jobName);
    return { canceled: true };
  } catch (err) {
    const e = toSerializedError(err);
    if (e.code === 'job_not_found' || e.code === 'not_found') return { canceled: false, error: e.message };
    throw err;
  }
}
