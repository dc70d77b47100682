/** Run settings defaults (overridden from app settings by shared/config). Pure. */
import type { RunSettings } from './types';

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  backstopSeconds: 300,
  maxJobsPerCompute: 16,
  chunkSize: 50,
};
