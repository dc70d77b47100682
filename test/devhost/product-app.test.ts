import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHost } from '../_helpers/host';

test('the product itself runs on the local host: its health function answers and the runs API has its local services', async () => {
  const host = await startTestHost();
  try {
    const health = await host.fetch('/api/health');
    assert.equal(health.status, 200);
    const status = await host.fetch('/admin/host/status', { headers: { 'x-functions-key': host.keys.masterKey } });
    const report = (await status.json()) as { status: string; parts: Record<string, { state: string }> };
    assert.equal(report.status, 'healthy');
    assert.equal(report.parts.localaml?.state, 'up');
    const runs = await host.fetch('/api/runs', { headers: { 'x-functions-key': host.keys.functionKeys.default as string } });
    assert.equal(runs.status, 200);
    assert.equal((await host.fetch('/api/runs')).status, 401, 'product routes need a function key');
  } finally {
    await host.stop();
  }
});
