import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, ServiceError } from '../shared/errors';
import { type AzuritePorts, type RunningAzurite, startAzurite } from './azurite';
import { loadApp } from './functions/app-loader';
import type { CoreLogLevel } from './functions/core-shim';
import type { LoadedApp } from './functions/types';
import { createDurableBackend, type DurableHost, durableClientPayload } from './durable';
import { createDurableHttpApi } from './durable-http/api';
import { HealthBoard } from './health';
import { blobWatcherService } from './blob-watcher/service';
import { localAzureMlService } from './localaml/service';
import { startHostServer, type HostServer } from './http/server';
import { type HostRequest, type HostResponse, jsonResponse, textResponse } from './http/types';
import { ensureHostKeys, type HostKeys, keyGrants, SYSTEM_KEY_DURABLE } from './keys';
import { createLogger, type Logger } from './logger';
import { isLiveProcessOf, readPidFile, removePidFile, writePidFile } from './pidfiles';
import { type AppSettings, loadAppSettings } from './settings';
import { createEventGridWebhook, EVENT_GRID_PATH } from './triggers/eventgrid-webhook';
import { EventGridPublisher } from './triggers/eventgrid-publisher';
import { parseSubscriptions, SUBSCRIPTIONS_SETTING } from './triggers/eventgrid-subscriptions';
import { buildHttpRoutes, createHttpTriggerHandler, requestKey } from './triggers/http-trigger';
import { TimerScheduler } from './triggers/timer-trigger';

/**
 * The local Functions host: starts every part in order and stops them in reverse.
 *
 *   keys → settings (Values → env) → HTTP listener (health answers 503 meanwhile) → Azurite
 *   → durable backend → services (e.g. the local Azure ML) → the app → triggers → healthy.
 *
 * Services are the hook for parts that the app's drivers need before it loads: each gets the
 * Azurite endpoints, the durable backend and the Event Grid publisher, and may publish what it
 * offers (shared/local-services.ts).
 */
export interface ServiceContext {
  dataDir: string;
  settings: AppSettings;
  azurite: RunningAzurite;
  /** The Durable backend; its SQLite handle (`db`, `transaction`) is shared with the state store. */
  durable: DurableHost;
  eventGrid: EventGridPublisher;
  /** The host's own origin, e.g. http://127.0.0.1:7071. */
  origin: string;
  keys: HostKeys;
  logger: Logger;
}

export interface StartedService {
  stop(): Promise<void>;
  /** Shown in the health report. */
  detail?: Record<string, unknown>;
}

export interface HostService {
  name: string;
  start(ctx: ServiceContext): Promise<StartedService>;
}

/**
 * Services every host runs unless `HostOptions.services` replaces the list: the local Azure ML
 * (compute runner, datastores on Azurite, registries, state store; job events through the
 * Event Grid publisher), published for the app's `local` drivers.
 */
export const builtInServices: HostService[] = [localAzureMlService(), blobWatcherService()];

export interface HostOptions {
  appDir: string;
  dataDir: string;
  /** Default 7071; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  bindHost?: string;
  azurite?: { inMemory?: boolean; ports?: AzuritePorts };
  /** Default `builtInServices`. */
  services?: HostService[];
  logger?: Logger;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly keys: HostKeys;
  readonly settings: AppSettings;
  readonly azurite: RunningAzurite;
  readonly durable: DurableHost;
  readonly eventGrid: EventGridPublisher;
  readonly app: LoadedApp;
  readonly health: HealthBoard;
  /** Handles a request in-process, exactly as the HTTP listener would. */
  handle(req: HostRequest): Promise<HostResponse>;
  stop(): Promise<void>;
}

const HOST_PID = 'host';
/** Trigger types something in the local host invokes. */
const RUN_TRIGGERS = new Set(['httpTrigger', 'timerTrigger', 'eventGridTrigger', 'orchestrationTrigger', 'activityTrigger', 'entityTrigger']);

function appLogHandler(logger: Logger) {
  const levels: Record<CoreLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | undefined> = {
    trace: 'trace', debug: 'debug', information: 'info', warning: 'warn', error: 'error', critical: 'fatal', none: undefined,
  };
  return (level: CoreLogLevel, category: string, message: string) => {
    const method = levels[level];
    if (method) logger[method]({ category }, message);
  };
}

function claimDataDir(dataDir: string): void {
  const other = readPidFile(dataDir, HOST_PID);
  if (other && other.pid !== process.pid && isLiveProcessOf(other.pid, 'node')) {
    throw new ConfigurationError('data folder', `${dataDir} is in use by another local host (pid ${other.pid}); stop it or choose another folder with --data`);
  }
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const logger = options.logger ?? createLogger();
  const appDir = path.resolve(options.appDir);
  const dataDir = path.resolve(options.dataDir);
  const bindHost = options.bindHost ?? '127.0.0.1';
  const inMemory = options.azurite?.inMemory ?? false;
  mkdirSync(dataDir, { recursive: true });
  claimDataDir(dataDir);

  const health = new HealthBoard();
  const services = options.services ?? builtInServices;
  const required = ['server', 'azurite', 'durable', ...services.map((s) => s.name), 'app', 'triggers'];
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const keys = ensureHostKeys(dataDir);
  const settings = loadAppSettings(appDir);
  const routePrefix = settings.routePrefix;
  const healthPath = (routePrefix ? `/${routePrefix}/health` : '/health').toLowerCase();

  let app: LoadedApp | undefined;
  let durable: DurableHost | undefined;
  let durableStarted = false;
  let triggerHandler: ((req: HostRequest) => Promise<HostResponse | undefined>) | undefined;
  let eventGridWebhook: ((req: HostRequest) => Promise<HostResponse>) | undefined;
  let origin = '';
  // The management API answers 503 until the backend has the app to run.
  const durableApi = createDurableHttpApi({ backend: () => (durableStarted ? durable : undefined), keys, origin: () => origin, logger });

  const handle = async (req: HostRequest): Promise<HostResponse> => {
    const p = req.url.pathname;
    if (p === EVENT_GRID_PATH) return eventGridWebhook ? eventGridWebhook(req) : textResponse(503, 'The host is not running (starting or stopping).');
    if (p === '/admin/host/status') {
      // The host's own report even when the app defines /api/health itself (admin level, as in Azure).
      if (!keyGrants(keys, 'admin', requestKey(req))) return textResponse(401, 'Unauthorized.');
      return jsonResponse(health.healthy(required) ? 200 : 503, health.report(required));
    }
    const durableResponse = await durableApi(req);
    if (durableResponse) return durableResponse;
    if (triggerHandler) {
      const response = await triggerHandler(req);
      if (response) return response;
    }
    if (p.replace(/\/+$/, '').toLowerCase() === healthPath && (req.method === 'GET' || req.method === 'HEAD')) {
      return jsonResponse(health.healthy(required) ? 200 : 503, health.report(required));
    }
    if (!triggerHandler) return textResponse(503, 'The host is not running (starting or stopping).');
    return textResponse(404, 'Not found.');
  };

  let server: HostServer;
  try {
    server = await startHostServer({ bindHost, port: options.port ?? 7071, logger, handle });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ServiceError('port_in_use', `port ${options.port ?? 7071} on ${bindHost} is already in use: stop what listens there or choose another port (--port or PORT)`);
    }
    throw err;
  }
  const originHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  origin = `http://${originHost.includes(':') ? `[${originHost}]` : originHost}:${server.port}`;
  stops.push({ name: 'server', stop: () => server.close() });
  health.set('server', 'up', { detail: { url: server.url } });
  writePidFile(dataDir, HOST_PID, { pid: process.pid, startedAt: new Date().toISOString(), url: server.url, port: server.port, appDir });
  stops.push({ name: 'pid file', stop: async () => removePidFile(dataDir, HOST_PID, process.pid) });
  // durable-functions rewrites management URL origins to localhost:7071 unless this is set.
  process.env.WEBSITE_HOSTNAME = `localhost:${server.port}`;

  const eventGrid = new EventGridPublisher({
    deliver: (req) => handle(req),
    baseUrl: () => origin,
    eventGridFunctions: () => [...(app?.functions.values() ?? [])].filter((f) => f.trigger.type === 'eventGridTrigger').map((f) => f.name),
  });

  const stopAll = async () => {
    // New requests get 503 while the parts stop, instead of reaching half-stopped ones.
    triggerHandler = undefined;
    eventGridWebhook = undefined;
    durableStarted = false;
    health.set('server', 'stopping');
    const errors: unknown[] = [];
    for (const { name, stop } of stops.reverse()) {
      health.set(name, 'stopping');
      try {
        await stop();
      } catch (err) {
        errors.push(err);
        logger.error({ part: name, err }, 'failed to stop');
      }
    }
    stops.length = 0;
    if (errors.length) throw errors[0];
  };

  try {
    health.set('azurite', 'starting');
    const azurite = await startAzurite({ dataDir, inMemory, ...(options.azurite?.ports ? { ports: options.azurite.ports } : {}), logger });
    stops.push({ name: 'azurite', stop: () => azurite.stop() });
    health.set('azurite', 'up', { detail: { blob: azurite.endpoints.blob, queue: azurite.endpoints.queue, table: azurite.endpoints.table } });
    void azurite.exited.then((code) => {
      if (stops.some((s) => s.name === 'azurite')) health.set('azurite', 'failed', { error: `Azurite exited (code ${code})` });
    });
    const storage = process.env.AzureWebJobsStorage;
    if (!storage || /^UseDevelopmentStorage=true;?$/i.test(storage.trim())) process.env.AzureWebJobsStorage = azurite.connectionString;

    health.set('durable', 'starting');
    const durableLog = logger.child({ component: 'durable' });
    const durableHost = createDurableBackend({
      dbPath: path.join(dataDir, 'host.sqlite'),
      hostJson: settings.hostJson,
      taskHub: settings.taskHub,
      log: (level, message) => durableLog[level === 'information' ? 'info' : level === 'warning' ? 'warn' : 'error'](message),
    });
    durable = durableHost;
    stops.push({ name: 'durable', stop: () => durableHost.stop() });

    const ctx: ServiceContext = { dataDir, settings, azurite, durable: durableHost, eventGrid, origin, keys, logger };
    for (const service of services) {
      health.set(service.name, 'starting');
      const started = await service.start(ctx);
      stops.push({ name: service.name, stop: () => started.stop() });
      health.set(service.name, 'up', started.detail ? { detail: started.detail } : {});
    }

    health.set('app', 'starting');
    const loaded = await loadApp(appDir, { log: appLogHandler(logger.child({ component: 'app' })) });
    app = loaded;
    stops.push({ name: 'app', stop: () => loaded.terminate() });
    const clientPayload = JSON.stringify(durableClientPayload(settings.taskHub, { baseUrl: origin, systemKey: keys.systemKeys[SYSTEM_KEY_DURABLE] }));
    loaded.provideInput('durableClient', () => ({ string: clientPayload }));
    health.set('app', 'up', { detail: { dir: appDir, functions: loaded.functions.size } });

    durableHost.start(loaded);
    durableStarted = true;
    health.set('durable', 'up', { detail: { taskHub: durableHost.taskHub } });

    health.set('triggers', 'starting');
    for (const fn of loaded.functions.values()) {
      if (!RUN_TRIGGERS.has(fn.trigger.type)) logger.warn({ function: fn.name, trigger: fn.trigger.type }, 'the local host does not run this trigger type; the function will never be invoked');
    }
    const routes = buildHttpRoutes(loaded.functions.values(), routePrefix);
    const timers = new TimerScheduler({ app: loaded, dataDir, logger });
    const eventGridFunctions = [...loaded.functions.values()].filter((f) => f.trigger.type === 'eventGridTrigger').map((f) => f.name);
    for (const subscription of parseSubscriptions(process.env[SUBSCRIPTIONS_SETTING], eventGridFunctions)) eventGrid.subscribe(subscription);
    eventGridWebhook = createEventGridWebhook({ app: loaded, keys, logger });
    triggerHandler = createHttpTriggerHandler({ app: loaded, routes, keys, logger });
    timers.start();
    stops.push({ name: 'triggers', stop: () => timers.stop() });
    health.set('triggers', 'up', { detail: { http: routes.length, timers: timers.functionNames.length } });
    logger.info({ url: server.url, functions: loaded.functions.size }, 'local host is up');

    return {
      url: server.url,
      port: server.port,
      dataDir,
      keys,
      settings,
      azurite,
      durable: durableHost,
      eventGrid,
      app: loaded,
      health,
      handle,
      stop: (() => {
        let stopping: Promise<void> | undefined;
        return () => (stopping ??= stopAll().then(() => logger.info('local host stopped')));
      })(),
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
