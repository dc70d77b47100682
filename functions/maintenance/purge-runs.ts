/**
 * Purges finished runs older than the retention: the Durable history of the run and of its
 * child orchestrations (ids derived from the run id and its step paths, plus chunk ids until
 * one is unknown), then the catalogue entry.
 */
import type { DurableClient } from 'durable-functions';
import { RunCatalog } from '../../shared/run/catalog';
import { chunkInstanceId, stepInstanceId } from '../../shared/run/names';
import type { RunRecord } from '../../shared/run/types';
import type { StateStore } from '../../shared/state/types';

export interface PurgeResult {
  runs: string[];
  instances: number;
}

export async function purgeFinishedRuns(client: DurableClient, state: StateStore, olderThan: Date): Promise<PurgeResult> {
  const catalog = new RunCatalog(state);
  const runs: string[] = [];
  let instances = 0;
  let token: string | undefined;
  const cutoff = olderThan.toISOString();
  do {
    const page = await catalog.list({ status: ['Completed', 'Failed', 'Canceled'], createdBefore: cutoff, top: 200, ...(token ? { continuationToken: token } : {}) });
    for (const run of page.runs) {
      if (!run.endTime || run.endTime >= cutoff) continue;
      instances += await purgeInstances(client, run);
      await catalog.delete(run.runId);
      runs.push(run.runId);
    }
    token = page.continuationToken;
  } while (token);
  return { runs, instances };
}

async function purgeInstances(client: DurableClient, run: RunRecord): Promise<number> {
  let purged = 0;
  const prefixes = ['', ...run.stepNames.map((p) => `${p}/`)];
  for (const path of run.stepNames) purged += await purgeOne(client, stepInstanceId(run.runId, path));
  for (const prefix of prefixes) {
    for (let index = 0; ; index += 1) {
      const count = await purgeOne(client, chunkInstanceId(run.runId, prefix, index));
      if (count === 0) break;
      purged += count;
    }
  }
  return purged + (await purgeOne(client, run.runId));
}

async function purgeOne(client: DurableClient, instanceId: string): Promise<number> {
  try {
    return (await client.purgeInstanceHistory(instanceId)).instancesDeleted;
  } catch (err) {
    if (err instanceof Error && /\b404\b|not found/i.test(err.message)) return 0;
    throw err;
  }
}
