/**
 * A local host for the batch-scoring end-to-end tests: the product app with the local Azure ML
 * (subprocess jobs). It runs in the test process with the local Azure ML service listed
 * explicitly, since the host's built-in service list may not hold it yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtInServices } from '../../../devhost/host';
import { localAzureMlService, LOCAL_AML_SERVICE } from '../../../devhost/localaml/service';
import { makeProductAppDir } from '../api/product-app';
import { startInProcessHost } from '../host';

export interface BatchHost {
  url: string;
  dataDir: string;
  key: string;
  fetch(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts the host; `env` is applied to this process first (the host and its jobs read it). */
export async function startBatchHost(env: Record<string, string>): Promise<BatchHost> {
  // host.json names the task hub through a setting (local.settings.json gives it in a checkout).
  Object.assign(process.env, { AMLSCHED_TASK_HUB: process.env.AMLSCHED_TASK_HUB ?? 'amlsched' }, env);
  const app = makeProductAppDir();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-batch-host-'));
  const services = builtInServices.some((s) => s.name === LOCAL_AML_SERVICE) ? builtInServices : [...builtInServices, localAzureMlService()];
  try {
    const host = await startInProcessHost({ appDir: app.dir, dataDir, services });
    const key = host.keys.functionKeys.default!;
    return {
      url: host.url,
      dataDir,
      key,
      fetch: (p, init) => fetch(`${host.url}${p}`, init),
      async stop() {
        await host.cleanup();
        app.cleanup();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    app.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
