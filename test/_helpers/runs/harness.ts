/**
 * The runs layer on the local Durable backend, in-process: the app of test/fixtures/apps/runs
 * (orchestrators, activities, the job-event function), the Durable HTTP API on an ephemeral
 * loopback port (for DurableClient), a SQLite state store and data registry, a MemoryDatastore
 * and a scripted FakeCompute whose events go through the Event Grid function. One harness per
 * test file (the app loads once per process).
 */
import { createRequire } from 'node:module';
import type { DurableClient } from 'durable-functions';
import { createDurableBackend, openHostDatabase, type DurableHost } from '../../../devhost/durable/index';
import { createDurableHttpApi } from '../../../devhost/durable-http/api';
import { durableClientPayload } from '../../../devhost/durable/client-payload';
import { loadApp } from '../../../devhost/functions/app-loader';
import type { LoadedApp } from '../../../devhost/functions/types';
import { startHostServer, type HostServer } from '../../../devhost/http/server';
import { textResponse } from '../../../devhost/http/types';
import { silentLogger } from '../../../devhost/logger';
import { resetServices } from '../../../shared/config/services';
import type { Datastore, DatastoreRegistry } from '../../../shared/datastore/types';
import { publishLocalServices } from '../../../shared/local-services';
import { LocalComponentRegistry, LocalDataRegistry } from '../../../shared/registry/local/index';
import { getRun, startRun, type StartRunOptions } from '../../../shared/run/start';
import type { RunObject, RunSettings } from '../../../shared/run/types';
import { SqliteStateStore } from '../../../shared/state/sqlite';
import { makeAppDir, type TempAppDir } from '../durable/app-dir';
import { MemoryDatastore } from '../fake-aml/memory-datastore';
import { FakeCompute, type PublishedEvent } from './fake-compute';

export interface RunsHarness {
  app: LoadedApp;
  backend: DurableHost;
  client: DurableClient;
  compute: FakeCompute;
  datastore: MemoryDatastore;
  state: SqliteStateStore;
  data: LocalDataRegistry;
  /** Event Grid events delivered to the app; set `dropEvents` to lose them instead. */
  delivered: PublishedEvent[];
  dropEvents: boolean;
  settings: RunSettings;
  start(options: Omit<StartRunOptions, 'trigger'> & { trigger?: StartRunOptions['trigger'] }): Promise<RunObject>;
  /** Waits for the run to end and returns its run object. */
  wait(runId: string, timeoutMs?: number): Promise<RunObject>;
  close(): Promise<void>;
}

class SingleDatastoreRegistry implements DatastoreRegistry {
  readonly defaultName: string;
  constructor(private readonly store: Datastore) {
    this.defaultName = store.name;
  }
  get(name: string): Datastore {
    if (name !== this.store.name) throw new Error(`unknown datastore ${name}`);
    return this.store;
  }
  byContainer(_account: string, container: string): Datastore | undefined {
    return container === this.store.container ? this.store : undefined;
  }
  names(): string[] {
    return [this.store.name];
  }
}

export async function startRunsHarness(settings: Partial<RunSettings> = {}): Promise<RunsHarness> {
  const tmp: TempAppDir = makeAppDir('runs');
  const app = await loadApp(tmp.dir);
  const db = openHostDatabase(':memory:');
  const backend = createDurableBackend({ app, db });
  const keys = { masterKey: 'master-test-key', functionKeys: {}, systemKeys: {} };
  const origin = { url: '' };
  const api = createDurableHttpApi({ backend: () => backend, keys, origin: () => origin.url, logger: silentLogger() });
  const server: HostServer = await startHostServer({ bindHost: '127.0.0.1', port: 0, logger: silentLogger(), handle: async (req) => (await api(req)) ?? textResponse(404, 'not found') });
  origin.url = server.url;
  backend.setClientEndpoint({ baseUrl: server.url });
  const DurableClientClass = (createRequire(__filename)('durable-functions/lib/src/durableClient/DurableClient') as { DurableClient: new (data: unknown) => DurableClient }).DurableClient;
  const client = new DurableClientClass(durableClientPayload(backend.taskHub, { baseUrl: server.url }));

  const datastore = new MemoryDatastore();
  const compute = new FakeCompute(datastore);
  const state = new SqliteStateStore(db);
  const data = new LocalDataRegistry(db);
  resetServices();
  publishLocalServices({ compute, datastores: new SingleDatastoreRegistry(datastore), data, components: new LocalComponentRegistry(db), state });

  const runSettings: RunSettings = { backstopSeconds: 30, maxJobsPerCompute: 16, chunkSize: 100, ...settings };
  const harness: RunsHarness = {
    app, backend, client, compute, datastore, state, data,
    delivered: [],
    dropEvents: false,
    settings: runSettings,
    start: (options) => startRun(client, { state, settings: harness.settings }, { trigger: { type: 'http' }, ...options }),
    async wait(runId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await getRun(client, { state }, runId);
        if (['Completed', 'Failed', 'Canceled'].includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${runId} did not end: ${JSON.stringify(run)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await compute.stop();
      await backend.idle();
      await backend.close();
      publishLocalServices(undefined);
      resetServices();
      await server.close();
      db.close();
      await app.terminate();
      tmp.cleanup();
    },
  };
  compute.publish = async (event) => {
    if (harness.dropEvents) return;
    harness.delivered.push(event);
    await app.invoke({ functionName: 'amlJobEvents', triggerData: { json: JSON.stringify(event) } });
  };
  return harness;
}
