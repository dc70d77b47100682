/**
 * examples/batch-scoring/README.md, run as written: every `npx amlsched ...` line of its shell
 * blocks, in order, from the repository root, against a local host with local compute. The blob
 * trigger path ends with the scored data version registered for the run the marker started; the
 * direct `amlsched run ... --wait` path registers one more.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { productRoot } from '../../devhost/product-root';
import type { DataVersion } from '../../shared/registry/types';
import { runCli, type CliResult } from '../_helpers/api/run-cli';
import { startBatchHost, type BatchHost } from '../_helpers/batch/host';
import { hostDatastore, readUri } from '../_helpers/batch/host-store';

const ROOT = productRoot();
const README = readFileSync(path.join(ROOT, 'examples', 'batch-scoring', 'README.md'), 'utf8');

/** The `npx amlsched` lines of each ```sh block, as argument lists. */
function commands(): string[][][] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]!.split('\n')
    .filter((line) => line.startsWith('npx amlsched '))
    .map((line) => line.slice('npx amlsched '.length).trim().split(/\s+/)));
}

let host: BatchHost;
before(async () => {
  host = await startBatchHost({ AMLSCHED_COMPUTE: 'local', AMLSCHED_BACKSTOP_SECONDS: '5', AMLSCHED_LOCAL_INSTANCES: '4' });
});
after(async () => {
  await host?.stop();
});

async function amlsched(args: string[]): Promise<CliResult> {
  const result = await runCli(args, { AMLSCHED_URL: host.url, AMLSCHED_KEY: host.key, AMLSCHED_POLL_MS: '250' }, ROOT);
  assert.equal(result.code, 0, `amlsched ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result;
}

async function scoredVersions(): Promise<DataVersion[]> {
  return JSON.parse((await amlsched(['data', 'list', 'scored_rows', '--output', 'json'])).stdout) as DataVersion[];
}

async function expectScored(version: DataVersion): Promise<void> {
  const lines = (await readUri(hostDatastore(host.dataDir), version.uri)).trimEnd().split('\n');
  assert.equal(lines.length, 100, '25 files of 4 orders');
  const files = lines.map((l) => l.split(',')[0]);
  assert.deepEqual(files, [...files].sort(), 'rows in input file order');
  for (const line of lines) assert.match(line, /^orders-\d{3}\.csv,\d+,0\.\d{4},[01]$/);
}

test('the README blob-trigger steps end with the scored data version registered', async () => {
  const [setup, triggerPath, direct] = commands();
  assert.deepEqual(setup, [], 'the first block only starts the host (this test does that)');
  assert.ok(triggerPath && triggerPath.length >= 4 && direct?.length === 1);
  for (const args of triggerPath.slice(0, -1)) await amlsched(args);
  const last = triggerPath[triggerPath.length - 1]!;
  assert.deepEqual(last, ['data', 'list', 'scored_rows']);
  const deadline = Date.now() + 180_000;
  let versions: DataVersion[] = [];
  while (versions.length === 0) {
    assert.ok(Date.now() < deadline, 'no scored_rows version within 3 minutes of the marker');
    await sleep(500);
    versions = await scoredVersions();
    // A run the marker started that ended without registering: fail now, with its error.
    const runs = JSON.parse((await amlsched(['runs', 'list', '--output', 'json'])).stdout) as { runId: string; status: string; error?: { message: string } }[];
    const failed = runs.find((r) => r.status === 'Failed' || r.status === 'Canceled');
    if (versions.length === 0 && failed) assert.fail(`run ${failed.runId} ended ${failed.status}: ${failed.error?.message ?? ''}`);
  }
  const text = (await amlsched(last)).stdout;
  assert.match(text, new RegExp(versions[0]!.version));
  assert.equal(versions.length, 1);
  assert.equal(versions[0]!.producedBy?.step, 'score');
  await expectScored(versions[0]!);
});

test('the README direct path: amlsched run --wait completes and registers one more version', async () => {
  const [, , direct] = commands();
  const before = (await scoredVersions()).length;
  const result = await amlsched(direct![0]!);
  assert.match(result.stdout, /mini-batches 3\/3/);
  const versions = await scoredVersions();
  assert.equal(versions.length, before + 1);
  await expectScored(versions[0]!);
});
