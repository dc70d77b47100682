import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAppSettings } from '../../../shared/config/settings';

test('defaults: local compute, backstop in seconds locally and minutes with azureml', () => {
  assert.deepEqual(readAppSettings({}), { compute: 'local', run: { backstopSeconds: 10, maxJobsPerCompute: 16, chunkSize: 50 }, retentionDays: 30 });
  assert.equal(readAppSettings({ AMLSCHED_COMPUTE: 'AzureML' }).run.backstopSeconds, 300);
  assert.equal(readAppSettings({ AMLSCHED_BACKSTOP_SECONDS: '0.5' }).run.backstopSeconds, 0.5);
});

test('a bad setting stops with one line naming it', () => {
  assert.throws(() => readAppSettings({ AMLSCHED_COMPUTE: 'cloud' }), /^ConfigurationError: AMLSCHED_COMPUTE: must be 'local' or 'azureml'/);
  assert.throws(() => readAppSettings({ AMLSCHED_BACKSTOP_SECONDS: 'soon' }), (err: Error & { setting?: string }) => err.setting === 'AMLSCHED_BACKSTOP_SECONDS');
  assert.throws(() => readAppSettings({ AMLSCHED_CHUNK_SIZE: '2.5' }), /AMLSCHED_CHUNK_SIZE: must be a whole number/);
  assert.throws(() => readAppSettings({ AMLSCHED_RUN_RETENTION_DAYS: '-1' }), /AMLSCHED_RUN_RETENTION_DAYS/);
});
