/**
 * The local Azure ML of the local host: compute, datastores, data and component registries and
 * the state store, all over the host's SQLite database and Azurite. The host publishes the result
 * with publishLocalServices() so the app's `local` drivers find it.
 */
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../../shared/errors';
import type { LocalServices } from '../../shared/local-services';
import { LocalComponentRegistry } from '../../shared/registry/local/components';
import { LocalDataRegistry } from '../../shared/registry/local/data';
import { SqliteStateStore } from '../../shared/state/sqlite';
import { LocalAzureMl, type LocalAzureMlOptions } from './compute';

export { LocalAzureMl, type LocalAzureMlOptions } from './compute';
export { LOCAL_WORKSPACE, RUN_COMPLETED, RUN_STATUS_CHANGED, jobEvents, type EventGridEvent, type PublishEvents, type WorkspaceIdentity } from './events';

export const INSTANCES_SETTING = 'AMLSCHED_LOCAL_INSTANCES';

/** The compute's options less its data registry (started here): `dataDir` is the host's (jobs work under
 *  `<dataDir>/localaml/`), `instances` defaults to AMLSCHED_LOCAL_INSTANCES, else the core count. */
export type StartLocalAzureMlOptions = Omit<LocalAzureMlOptions, 'data'>;

export interface LocalAzureMlServices extends LocalServices {
  compute: LocalAzureMl;
  data: LocalDataRegistry;
  components: LocalComponentRegistry;
  /** Stops watching jobs (their processes keep running, for the next host to adopt). */
  close(): Promise<void>;
}

export async function startLocalAzureMl(options: StartLocalAzureMlOptions): Promise<LocalAzureMlServices> {
  const data = new LocalDataRegistry(options.db);
  const components = new LocalComponentRegistry(options.db);
  const state = new SqliteStateStore(options.db);
  const compute = new LocalAzureMl({
    db: options.db,
    datastores: options.datastores,
    data,
    publish: options.publish,
    dataDir: path.join(options.dataDir, 'localaml'),
    instances: options.instances ?? instancesFromSettings(process.env),
    ...(options.workspace ? { workspace: options.workspace } : {}),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await compute.start();
  return { compute, datastores: options.datastores, data, components, state, close: () => compute.close() };
}

/** `AMLSCHED_LOCAL_INSTANCES`: a number for every compute, or JSON `{"cpu-cluster": 2, "*": 4}`. */
export function instancesFromSettings(settings: Record<string, string | undefined>): number | Record<string, number> {
  const raw = settings[INSTANCES_SETTING]?.trim();
  if (!raw) return os.availableParallelism();
  if (/^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(INSTANCES_SETTING, `'${raw}' is neither a positive integer nor JSON like {"cpu-cluster": 2}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)
    || !Object.values(parsed).every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw new ConfigurationError(INSTANCES_SETTING, 'must map compute names to positive integers, e.g. {"cpu-cluster": 2, "*": 4}');
  }
  return parsed as Record<string, number>;
}
