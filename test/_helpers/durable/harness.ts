/**
 * Runs a fixture app on the local Durable backend inside the test process (one app per process:
 * one test file per app).
 */
import { loadApp } from '../../../devhost/functions/app-loader';
import type { LoadedApp } from '../../../devhost/functions/types';
import { createDurableBackend, type CreateDurableBackendOptions, type DurableHost } from '../../../devhost/durable/index';
import type { HistoryEvent } from '../../../devhost/durable/history';
import type { InstanceStatus, RuntimeStatus } from '../../../devhost/durable/types';
import { makeAppDir, type TempAppDir } from './app-dir';

export interface DurableHarness {
  app: LoadedApp;
  backend: DurableHost;
  tmp: TempAppDir;
  close(): Promise<void>;
}

export async function startHarness(appName: string, options: Partial<CreateDurableBackendOptions> = {}): Promise<DurableHarness> {
  const tmp = makeAppDir(appName);
  let app: LoadedApp;
  try {
    app = await loadApp(tmp.dir);
  } catch (err) {
    tmp.cleanup();
    throw err;
  }
  const backend = createDurableBackend({ app, dbPath: ':memory:', ...options });
  return {
    app, backend, tmp,
    async close() {
      await backend.stop();
      await app.terminate();
      tmp.cleanup();
    },
  };
}

const FINAL: RuntimeStatus[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];

/** Waits until the instance reaches one of `statuses` (default: a final status), or fails after `timeoutMs`. */
export async function waitForStatus(backend: DurableHost, instanceId: string, statuses: RuntimeStatus[] = FINAL, timeoutMs = 20_000): Promise<InstanceStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await backend.getStatus(instanceId);
    if (status && statuses.includes(status.runtimeStatus)) return status;
    if (Date.now() > deadline) throw new Error(`instance ${instanceId} did not reach ${statuses.join('/')}: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The raw recorded history of the current execution (DTFx JSON shape). */
export function rawHistory(backend: DurableHost, instanceId: string): HistoryEvent[] {
  return backend.db.prepare<[string], { event: string }>('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq')
    .all(instanceId).map((r) => JSON.parse(r.event) as HistoryEvent);
}

export function eventsOfType(history: HistoryEvent[], type: number): HistoryEvent[] {
  return history.filter((e) => e.EventType === type);
}
