/**
 * Wires the local Durable backend to a loaded app:
 *
 *   const durable = createDurableBackend({ dbPath: '.data/host.sqlite', hostJson });  // before the app loads
 *   durable.start(await loadApp(dir));                                                // begins dispatch
 *   durable.setClientEndpoint({ baseUrl: 'http://127.0.0.1:7071', systemKey });      // optional, see below
 *   await durable.stop();
 *
 * With a client endpoint (option or `setClientEndpoint`) the backend provides the app's
 * `durableClient` inputs itself; a host that builds that payload on its own simply sets none.
 * The SQLite handle (`durable.db`, or pass `db` from `openHostDatabase`) is shared with the state
 * store, and `durable.transaction(fn)` commits state with durable work.
 */
import { ConfigurationError } from '../../shared/errors';
import type { LoadedApp } from '../functions/types';
import { SqliteDurableBackend } from './backend';
import { type DurableClientEndpoint, durableClientPayload } from './client-payload';
import { type HostDatabase, openHostDatabase } from './db';
import type { ReplayPayload } from './replay-log';

export { SqliteDurableBackend } from './backend';
export { type DurableClientEndpoint, durableClientPayload } from './client-payload';
export { type HostDatabase, openHostDatabase } from './db';

export interface CreateDurableBackendOptions {
  /** Start at once with this app; or call `start(app)` later. */
  app?: LoadedApp;
  /** Overrides the hub name from host.json. */
  taskHub?: string;
  /** Database file (`':memory:'` in tests); ignored when `db` is given. */
  dbPath?: string;
  /** An already opened host database (shared with the state store). */
  db?: HostDatabase;
  /** Parsed host.json of the app. */
  hostJson?: Record<string, unknown>;
  /** Makes the backend provide `durableClient` inputs; or set it later with `setClientEndpoint`. */
  clientEndpoint?: DurableClientEndpoint;
  /** See BackendOptions.maxEventsPerEpisode. */
  maxEventsPerEpisode?: number;
  /** See BackendOptions.replayPayload. */
  replayPayload?: ReplayPayload;
  clock?: () => number;
  log?: (level: 'error' | 'warning' | 'information', message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface DurableHost extends SqliteDurableBackend {
  /** The backend itself, so a DurableHost is also the host's `{ backend, start, stop }`. */
  readonly backend: SqliteDurableBackend;
  setClientEndpoint(endpoint: DurableClientEndpoint): void;
  /** Stops dispatch and closes the database when this factory opened it. */
  stop(): Promise<void>;
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
  const taskHub = options.taskHub ?? resolveTaskHub(options.hostJson, options.env);
  const maxActivities = positiveInt(settings.maxConcurrentActivityFunctions, 'maxConcurrentActivityFunctions');
  const maxOrchestrations = positiveInt(settings.maxConcurrentOrchestratorFunctions, 'maxConcurrentOrchestratorFunctions');
  const backend = new SqliteDurableBackend({
    db, taskHub,
    ...(maxActivities ? { maxConcurrentActivities: maxActivities } : {}),
    ...(maxOrchestrations ? { maxConcurrentOrchestrations: maxOrchestrations } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxEventsPerEpisode ? { maxEventsPerEpisode: options.maxEventsPerEpisode } : {}),
    ...(options.replayPayload ? { replayPayload: options.replayPayload } : {}),
    ...(options.log ? { log: options.log } : {}),
  }) as DurableHost;
  let endpoint = options.clientEndpoint;
  let app: LoadedApp | undefined;
  const provideClient = (): void => {
    app?.provideInput('durableClient', () => ({ string: JSON.stringify(durableClientPayload(taskHub, endpoint as DurableClientEndpoint)) }));
  };
  const start = backend.start.bind(backend);
  Object.defineProperty(backend, 'backend', { value: backend });
  backend.start = (loaded: LoadedApp) => {
    app = loaded;
    if (endpoint) provideClient();
    start(loaded);
  };
  backend.setClientEndpoint = (next) => {
    endpoint = next;
    provideClient();
  };
  backend.stop = async () => {
    await backend.close();
    if (!options.db) db.close();
  };
  if (options.app) backend.start(options.app);
  return backend;
}
