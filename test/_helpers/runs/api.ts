/**
 * The runs API of a local host as end-to-end tests use it: calls with the function key, a
 * pipeline file submitted as a bundle through POST /api/runs, and waiting for a run to end.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk } from '../../../shared/spec/bundle';

interface HostLike {
  url: string;
  keys: { masterKey: string; functionKeys: Record<string, string | undefined> };
}

const ENDED = ['Completed', 'Failed', 'Canceled'];

export function runsApi(host: () => HostLike) {
  const call = (method: string, route: string, body?: unknown): Promise<Response> => {
    const { url, keys } = host();
    return fetch(`${url}${route}`, {
      method,
      headers: { 'x-functions-key': keys.functionKeys.default ?? keys.masterKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  };

  /** Submits a pipeline (or command job) file with the files it names; resolves to the run id. */
  const submit = async (file: string): Promise<string> => {
    const { bundle } = await buildBundleFromDisk(file);
    const res = await call('POST', '/api/runs', { bundle });
    const text = await res.text();
    assert.equal(res.status, 202, text);
    return (JSON.parse(text) as { runId: string }).runId;
  };

  const waitForEnd = async (runId: string, timeoutMs = 90_000): Promise<RunObject> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject;
      if (ENDED.includes(run.status)) return run;
      assert.ok(Date.now() < deadline, `run ${runId} still ${run.status}: ${JSON.stringify(run)}`);
      await sleep(100);
    }
  };

  return { call, submit, waitForEnd, run: async (file: string) => waitForEnd(await submit(file)) };
}
