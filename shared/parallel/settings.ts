/**
 * Settings of parallel steps:
 *   AMLSCHED_PYTHON            interpreter of mini-batch jobs on the local compute (default python3;
 *                              tabular input needs one with pandas, e.g. Debian's /usr/bin/python3).
 *                              Azure ML jobs use the environment's `python`.
 *   AMLSCHED_PARALLEL_CHUNK    mini-batches per chunk orchestration (default 20).
 */
import { ConfigurationError } from '../errors';
import { DEFAULT_MINI_BATCHES_PER_CHUNK } from './types';

export interface ParallelSettings {
  python: string;
  perChunk: number;
}

export function parallelSettings(computeKind: 'local' | 'azureml', env: Record<string, string | undefined> = process.env): ParallelSettings {
  const python = computeKind === 'local' ? env.AMLSCHED_PYTHON?.trim() || 'python3' : 'python';
  const raw = env.AMLSCHED_PARALLEL_CHUNK?.trim();
  const perChunk = raw ? Number(raw) : DEFAULT_MINI_BATCHES_PER_CHUNK;
  if (!Number.isInteger(perChunk) || perChunk < 1) throw new ConfigurationError('AMLSCHED_PARALLEL_CHUNK', `must be a positive integer, got '${raw}'`);
  return { python, perChunk };
}
