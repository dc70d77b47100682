/**
 * App settings of the runs layer, read once with one clear line naming a bad setting:
 *   AMLSCHED_COMPUTE            local | azureml (default local): which drivers run the jobs.
 *   AMLSCHED_BACKSTOP_SECONDS   seconds between backstop polls of a job whose events did not arrive
 *                               (default 10 with local compute, 300 with azureml).
 *   AMLSCHED_MAX_JOBS_PER_COMPUTE running jobs per compute target and pipeline graph (default 16).
 *   AMLSCHED_CHUNK_SIZE         steps per chunk orchestration for wide DAGs (default 50; see orchestrators/README.md).
 *   AMLSCHED_RUN_RETENTION_DAYS finished runs older than this are purged (default 30).
 */
import { ConfigurationError } from '../errors';
import type { RunSettings } from '../run/types';

export type ComputeKind = 'local' | 'azureml';

export interface AppSettings {
  compute: ComputeKind;
  run: RunSettings;
  retentionDays: number;
}

type Env = Record<string, string | undefined>;

export function readAppSettings(env: Env = process.env): AppSettings {
  const raw = env.AMLSCHED_COMPUTE?.trim().toLowerCase() || 'local';
  if (raw !== 'local' && raw !== 'azureml') throw new ConfigurationError('AMLSCHED_COMPUTE', `must be 'local' or 'azureml', got '${env.AMLSCHED_COMPUTE}'`);
  const compute: ComputeKind = raw;
  return {
    compute,
    run: {
      backstopSeconds: positive(env, 'AMLSCHED_BACKSTOP_SECONDS', compute === 'local' ? 10 : 300),
      maxJobsPerCompute: positiveInt(env, 'AMLSCHED_MAX_JOBS_PER_COMPUTE', 16),
      chunkSize: positiveInt(env, 'AMLSCHED_CHUNK_SIZE', 50),
    },
    retentionDays: positive(env, 'AMLSCHED_RUN_RETENTION_DAYS', 30),
  };
}

function positive(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(name, `must be a positive number, got '${text}'`);
  return value;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const value = positive(env, name, fallback);
  if (!Number.isInteger(value)) throw new ConfigurationError(name, `must be a whole number, got '${env[name]}'`);
  return value;
}
