/**
 * Where the CLI sends requests: `AMLSCHED_URL` (default the local host on 127.0.0.1:7071) with the
 * key from `AMLSCHED_KEY`, else the local host's `default` function key from its key file in the
 * data folder (`AMLSCHED_DATA_DIR`, default `.data/`).
 */
import path from 'node:path';
import { readHostKeys } from '../../../devhost/keys';
import { ApiClient, type ApiConnection } from '../../../shared/api/client';

export const DEFAULT_URL = 'http://127.0.0.1:7071';

export function resolveConnection(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ApiConnection {
  const baseUrl = env.AMLSCHED_URL?.trim() || DEFAULT_URL;
  const key = env.AMLSCHED_KEY?.trim();
  if (key) return { baseUrl, key };
  const dataDir = path.resolve(cwd, env.AMLSCHED_DATA_DIR?.trim() || '.data');
  const keys = readHostKeys(dataDir);
  const fileKey = keys?.functionKeys.default ?? keys?.masterKey;
  return fileKey ? { baseUrl, key: fileKey } : { baseUrl };
}

export function apiClient(): ApiClient {
  return new ApiClient(resolveConnection());
}
