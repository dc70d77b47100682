/**
 * Wires the local Durable backend to a loaded app:
 *
 *   const app = await loadApp(dir);
 *   const durable = createDurableBackend({ app, dbPath: '.data/host.sqlite', hostJson });
 *   durable.setClientEndpoint({ baseUrl: 'http://127.0.0.1:7071', systemKey });  // before clients run
 *
 * The backend registers the `durableClient` input provider on the app. The SQLite handle
 * (`durable.db`, or pass `db` from `openHostDatabase`) is shared with the state store, and
 * `durable.transaction(fn)` commits state with durable work.
 */
import { ConfigurationError } from '../../shared/errors';
import type { LoadedApp } from '../functions/types';
import { SqliteDurableBackend } from './backend';
import { type DurableClientEndpoint, durableClientPayload } from './client-payload';
import { type HostDatabase, openHostDatabase } from './db';

export { SqliteDurableBackend } from './backend';
export { type DurableClientEndpoint, durableClientPayload } from './client-payload';
export { type HostDatabase, openHostDatabase } from './db';

export interface CreateDurableBackendOptions {
  app: LoadedApp;
  /** Database file (`':memory:'` in tests); ignored when `db` is given. */
  dbPath?: string;
  /** An already opened host database (shared with the state store). */
  db?: HostDatabase;
  /** Parsed host.json of the app. */
  hostJson?: Record<string, unknown>;
  /** The client endpoint, or set it later with `setClientEndpoint` (the HTTP port may be known later). */
  clientEndpoint?: DurableClientEndpoint;
  /** See BackendOptions.maxEventsPerEpisode. */
  maxEventsPerEpisode?: number;
  clock?: () => number;
  log?: (level: 'error' | 'warning' | 'information', message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface DurableHost extends SqliteDurableBackend {
  setClientEndpoint(endpoint: DurableClientEndpoint): void;
}

interface DurableTaskSettings {
  hubName?: unknown;
  maxConcurrentActivityFunctions?: unknown;
  maxConcurrentOrchestratorFunctions?: unknown;
}

function durableSettings(hostJson: Record<string, unknown> | undefined): DurableTaskSettings {
  const extensions = hostJson?.extensions as Record<string, unknown> | undefined;
  return (extensions?.durableTask ?? {}) as DurableTaskSettings;
}

/** `extensions.durableTask.hubName` with `%SETTING%` resolved; defaults as the extension does. */
export function resolveTaskHub(hostJson: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = durableSettings(hostJson).hubName;
  if (typeof raw === 'string' && raw !== '') {
    const resolved = raw.replace(/%([^%]+)%/g, (_m, name: string) => env[name] ?? '');
    if (resolved !== '') return resolved;
  }
  return env.WEBSITE_SITE_NAME || 'TestHubName';
}

function positiveInt(value: unknown, setting: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(`host.json extensions.durableTask.${setting}`, 'must be a positive integer');
  }
  return value;
}

export function createDurableBackend(options: CreateDurableBackendOptions): DurableHost {
  const settings = durableSettings(options.hostJson);
  const db = options.db ?? openHostDatabase(options.dbPath ?? ':memory:');
  const taskHub = resolveTaskHub(options.hostJson, options.env);
  const maxActivities = positiveInt(settings.maxConcurrentActivityFunctions, 'maxConcurrentActivityFunctions');
  const maxOrchestrations = positiveInt(settings.maxConcurrentOrchestratorFunctions, 'maxConcurrentOrchestratorFunctions');
  const backend = new SqliteDurableBackend({
    app: options.app, db, taskHub,
    ...(maxActivities ? { maxConcurrentActivities: maxActivities } : {}),
    ...(maxOrchestrations ? { maxConcurrentOrchestrations: maxOrchestrations } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxEventsPerEpisode ? { maxEventsPerEpisode: options.maxEventsPerEpisode } : {}),
    ...(options.log ? { log: options.log } : {}),
  }) as DurableHost;
  let endpoint = options.clientEndpoint;
  backend.setClientEndpoint = (next) => { endpoint = next; };
  options.app.provideInput('durableClient', (fn) => {
    if (!endpoint) throw new ConfigurationError('durable client endpoint', `function ${fn.name} needs a durable client before the host set its URL`);
    return { string: JSON.stringify(durableClientPayload(taskHub, endpoint)) };
  });
  return backend;
}
