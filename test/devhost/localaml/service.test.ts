import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ServiceContext } from '../../../devhost/host';
import type { LocalAzureMl } from '../../../devhost/localaml/compute';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { createLocalCompute } from '../../../shared/compute/local';
import { JOB_TAGS, isTerminalJobStatus } from '../../../shared/compute/types';
import { tryGetLocalServices } from '../../../shared/local-services';
import { startAzurite, type AzuriteInstance } from '../../_helpers/azurite';

let azurite: AzuriteInstance;
const dir = mkdtempSync(path.join(os.tmpdir(), 'localaml-service-'));
before(async () => { azurite = await startAzurite(); });
after(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the host service shares the host DB, uses the host Azurite, delivers events through the host publisher', async () => {
  const db = new Database(':memory:');
  const delivered: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  const logger = { child: () => ({ warn: (message: string) => warnings.push(message) }) };
  const ctx = {
    dataDir: dir,
    settings: { values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' } },
    azurite: { connectionString: azurite.connectionString },
    durable: { db },
    eventGrid: { publish: async (events: Record<string, unknown>[]) => { delivered.push(...events); return [{ functionName: 'f', status: 202, attempts: 1, eventIds: [] }]; } },
    logger,
  } as unknown as ServiceContext;
  const saved = process.env.AzureWebJobsStorage;
  delete process.env.AzureWebJobsStorage;
  const started = await localAzureMlService().start(ctx);
  try {
    const compute = createLocalCompute();
    const tags = { [JOB_TAGS.runId]: 'r', [JOB_TAGS.step]: 's', [JOB_TAGS.instanceId]: 'i', [JOB_TAGS.attempt]: '1', [JOB_TAGS.fingerprint]: 'f' };
    await compute.submit({
      name: 'svc-job', experimentName: 'e', command: 'echo hi > ${{outputs.o}}/hi.txt', environment: { kind: 'none' }, compute: 'local',
      inputs: {}, outputs: { o: { type: 'uri_folder', mode: 'rw_mount', uri: '' } }, environmentVariables: {}, tags,
    });
    let state = await compute.get('svc-job');
    for (let i = 0; i < 400 && !isTerminalJobStatus(state.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await compute.get('svc-job');
    }
    assert.equal(state.status, 'Completed', JSON.stringify(state.error));
    const blob = await tryGetLocalServices()?.datastores.get('workspaceblobstore').get('azureml/svc-job/o/hi.txt');
    assert.equal(blob?.toString(), 'hi\n');
    assert.ok(db.prepare("SELECT 1 FROM aml_jobs WHERE name = 'svc-job'").get(), 'job records live in the host database');
    await (compute as LocalAzureMl).idle();
    assert.deepEqual(delivered.map((e) => e.eventType).slice(-2), ['Microsoft.MachineLearningServices.RunStatusChanged', 'Microsoft.MachineLearningServices.RunCompleted']);
    assert.deepEqual(warnings, []);
  } finally {
    await started.stop();
    if (saved !== undefined) process.env.AzureWebJobsStorage = saved;
  }
  assert.equal(tryGetLocalServices(), undefined);
});
