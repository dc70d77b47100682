/**
 * The product on a local test host (child process, local compute) for trigger end-to-end tests:
 * apply schedules with their pipeline bundle, upload blobs, read the ledger and runs, and
 * deliver Event Grid events to the webhook as Azure does.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ListPage } from '../../../shared/api/contracts';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk } from '../../../shared/spec/bundle';
import type { LedgerEntry } from '../../../shared/triggers/ledger';
import { makeProductAppDir } from '../api/product-app';
import { startTestHost, type TestHost } from '../host';

export interface TriggerHost {
  host: TestHost;
  call(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  applySchedule(yaml: string, pipeline: string): Promise<void>;
  upload(path: string, text: string): Promise<{ uri: string; etag: string }>;
  history(schedule: string): Promise<LedgerEntry[]>;
  runsOf(schedule: string): Promise<RunObject[]>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  waitForEnd(runId: string): Promise<RunObject>;
  /** POSTs events to /runtime/webhooks/eventgrid?functionName=blobCreated with the Event Grid key. */
  deliver(events: unknown[]): Promise<number>;
  /** The host's Azurite blob endpoint (from the admin status report). */
  blobEndpoint(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTriggerHost(): Promise<TriggerHost> {
  const app = makeProductAppDir();
  let host: TestHost;
  try {
    host = await startTestHost({ app: app.dir, env: { AMLSCHED_COMPUTE: 'local', AMLSCHED_BACKSTOP_SECONDS: '2' } });
  } catch (err) {
    app.cleanup();
    throw err;
  }
  const key = host.keys.functionKeys.default!;
  const call = (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => host.fetch(route, {
    method,
    headers: { 'x-functions-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const th: TriggerHost = {
    host,
    call,
    async applySchedule(yaml, pipeline) {
      const { bundle } = await buildBundleFromDisk(pipeline);
      const name = /^name: (\S+)$/m.exec(yaml)![1]!;
      const res = await call('PUT', `/api/schedules/${name}`, { yaml, bundle });
      assert.ok(res.status === 201 || res.status === 200, `apply ${name}: ${res.status} ${await res.text()}`);
    },
    async upload(path, text) {
      const res = await call('PUT', `/api/datastores/workspaceblobstore/paths/${path}`, text, { 'content-type': 'text/csv' });
      assert.equal(res.status, 201, await res.clone().text());
      return (await res.json()) as { uri: string; etag: string };
    },
    async history(schedule) {
      const res = await call('GET', `/api/triggers/history?schedule=${encodeURIComponent(schedule)}&top=1000`);
      assert.equal(res.status, 200);
      return ((await res.json()) as ListPage<LedgerEntry>).value;
    },
    async runsOf(schedule) {
      const res = await call('GET', '/api/runs?top=1000');
      assert.equal(res.status, 200);
      return ((await res.json()) as ListPage<RunObject>).value.filter((r) => r.trigger.schedule === schedule);
    },
    async waitFor(what, probe, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; host log:\n${host.logs().slice(-3000)}`);
        await sleep(200);
      }
    },
    async waitForEnd(runId) {
      return th.waitFor(`run ${runId} to end`, async () => {
        const run = (await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject;
        return ['Completed', 'Failed', 'Canceled'].includes(run.status) ? run : undefined;
      });
    },
    async deliver(events) {
      const res = await host.fetch(`/runtime/webhooks/eventgrid?functionName=blobCreated&code=${host.keys.systemKeys.eventgrid_extension}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
        body: JSON.stringify(events),
      });
      await res.arrayBuffer();
      return res.status;
    },
    async blobEndpoint() {
      const res = await host.fetch('/admin/host/status', { headers: { 'x-functions-key': host.keys.masterKey } });
      const report = (await res.json()) as { parts: Record<string, { detail?: { blob?: string } }> };
      return report.parts.azurite!.detail!.blob!;
    },
    async stop() {
      await host.stop();
      app.cleanup();
    },
  };
  return th;
}
