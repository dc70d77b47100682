/**
 * Contract tests of the `azureml` compute driver: the real @azure/arm-machinelearning client
 * talks to a loopback fake that validates every request against the published 2025-12-01 spec.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAzureMlServices, type AzureMlServices } from '../../../../shared/azure/services';
import { uploadCodeFolder } from '../../../../shared/compute/azureml/code';
import { toJobStatus } from '../../../../shared/compute/azureml/status';
import { JOB_TAGS, type JobSpec } from '../../../../shared/compute/types';
import { FakeAml } from '../../../_helpers/fake-aml/server';
import { MemoryDatastore } from '../../../_helpers/fake-aml/memory-datastore';

let fake: FakeAml;
let aml: AzureMlServices;
let tmp: string;

before(async () => {
  fake = await FakeAml.start();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'amld-'));
});
after(async () => {
  await fake.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
  aml = createAzureMlServices({ env: fake.env(), compute: { pollIntervalMs: 5, sourceRoot: tmp } });
});

const DS = 'azureml://datastores/workspaceblobstore/paths';

function jobSpec(name: string, overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    name,
    experimentName: 'nightly',
    displayName: 'train',
    command: 'python train.py --data ${{inputs.raw}} --lr ${{inputs.lr}} --out ${{outputs.model}}',
    environment: { kind: 'registry', uri: 'azureml://registries/azureml/environments/sklearn-1.5/versions/3' },
    compute: 'cpu-cluster',
    inputs: {
      raw: { kind: 'data', type: 'uri_folder', uri: `${DS}/raw/2025/`, mode: 'ro_mount' },
      table: { kind: 'data', type: 'uri_file', uri: `${DS}/raw/table.csv`, mode: 'download' },
      lr: { kind: 'literal', value: 0.1 },
    },
    outputs: {
      model: { type: 'uri_folder', mode: 'rw_mount', uri: `${DS}/runs/r1/train/model/`, register: { name: 'model-out', version: 'r1' } },
      report: { type: 'uri_file', mode: 'upload', uri: `${DS}/runs/r1/train/report.json` },
    },
    environmentVariables: { MLFLOW_TRACKING: 'off' },
    timeoutSeconds: 600,
    instanceCount: 2,
    tags: { [JOB_TAGS.runId]: 'r1', [JOB_TAGS.step]: 'train', [JOB_TAGS.instanceId]: 'i1', [JOB_TAGS.attempt]: '1', [JOB_TAGS.fingerprint]: 'f' },
    ...overrides,
  };
}

type Props = Record<string, unknown> & { inputs: Record<string, Record<string, unknown>>; outputs: Record<string, Record<string, unknown>> };
function putBody(name: string): Props {
  const puts = fake.calls('PUT', 'Jobs_CreateOrUpdate').filter((r) => r.path.endsWith(`/jobs/${name}`));
  assert.equal(puts.length, 1, `one PUT for ${name}`);
  return (puts[0]!.body as { properties: Props }).properties;
}

test('submit sends a spec-valid command job with uri and mode on uri_folder/uri_file inputs and outputs', async () => {
  const { job, created } = await aml.compute.submit(jobSpec('r1-train-1'));
  assert.equal(created, true);
  assert.equal(job.status, 'NotStarted');
  assert.deepEqual(fake.violations(), []);
  const put = fake.calls('PUT', 'Jobs_CreateOrUpdate')[0]!;
  assert.equal(put.query['api-version'], '2025-12-01');
  const p = putBody('r1-train-1');
  assert.deepEqual(p.inputs.raw, { jobInputType: 'uri_folder', uri: `${DS}/raw/2025/`, mode: 'ReadOnlyMount' });
  assert.deepEqual(p.inputs.table, { jobInputType: 'uri_file', uri: `${DS}/raw/table.csv`, mode: 'Download' });
  assert.deepEqual(p.inputs.lr, { jobInputType: 'literal', value: '0.1' });
  assert.deepEqual(p.outputs.model, { jobOutputType: 'uri_folder', uri: `${DS}/runs/r1/train/model/`, mode: 'ReadWriteMount' });
  assert.deepEqual(p.outputs.report, { jobOutputType: 'uri_file', uri: `${DS}/runs/r1/train/report.json`, mode: 'Upload' });
  assert.equal(p.jobType, 'Command');
  assert.equal(p.computeId, `${fake.workspaceId}/computes/cpu-cluster`);
  assert.equal(p.environmentId, 'azureml://registries/azureml/environments/sklearn-1.5/versions/3');
  assert.deepEqual(p.limits, { jobLimitsType: 'Command', timeout: 'PT600S' });
  assert.deepEqual(p.resources, { instanceCount: 2 });
  assert.deepEqual(p.environmentVariables, { MLFLOW_TRACKING: 'off' });
  assert.equal(p.experimentName, 'nightly');
  assert.equal(p.displayName, 'train');
  assert.equal((p.tags as Record<string, string>)[JOB_TAGS.runId], 'r1');
  assert.deepEqual(p.properties, { 'amlsched.register.model': 'model-out:r1' });
  assert.equal(p.codeId, undefined);
});

test('every CLI input and output mode maps to its REST name and validates', async () => {
  const modes = ['ro_mount', 'download', 'rw_mount', 'direct', 'eval_mount', 'eval_download'] as const;
  const inputs = Object.fromEntries(modes.map((mode) => [mode, { kind: 'data' as const, type: 'uri_folder' as const, uri: `${DS}/x/`, mode }]));
  const outputs = Object.fromEntries((['rw_mount', 'upload', 'direct'] as const).map((mode) => [mode, { type: 'uri_folder' as const, mode, uri: `${DS}/o/${mode}/` }]));
  await aml.compute.submit(jobSpec('modes-1', { inputs, outputs }));
  assert.deepEqual(fake.violations(), []);
  const p = putBody('modes-1');
  assert.deepEqual(Object.fromEntries(modes.map((m) => [m, p.inputs[m]!.mode])), {
    ro_mount: 'ReadOnlyMount', download: 'Download', rw_mount: 'ReadWriteMount', direct: 'Direct', eval_mount: 'EvalMount', eval_download: 'EvalDownload',
  });
  assert.deepEqual(Object.fromEntries(Object.keys(outputs).map((m) => [m, p.outputs[m]!.mode])), { rw_mount: 'ReadWriteMount', upload: 'Upload', direct: 'Direct' });
});

test('a repeated submission adopts the job: GET finds it, no second PUT', async () => {
  const first = await aml.compute.submit(jobSpec('r2-train-1'));
  const again = createAzureMlServices({ env: fake.env() }); // e.g. an activity retried on another worker
  const second = await again.compute.submit(jobSpec('r2-train-1'));
  assert.equal(first.created, true);
  assert.equal(second.created, false);
  assert.equal(second.job.name, 'r2-train-1');
  assert.deepEqual(second.job.tags, first.job.tags);
  assert.equal(fake.calls('PUT', 'Jobs_CreateOrUpdate').length, 1);
  assert.equal(fake.calls('GET', 'Jobs_Get').length, 2);
});

test('a job name held by a job of another run/step/attempt is refused, not adopted', async () => {
  await aml.compute.submit(jobSpec('r3-train-1'));
  const other = jobSpec('r3-train-1');
  other.tags = { ...other.tags, [JOB_TAGS.runId]: 'someone-else' };
  await assert.rejects(aml.compute.submit(other), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'job_name_conflict');
    assert.match(err.message, /^azureml: job name 'r3-train-1' is already used by another job \(tags amlsched\.runId=r1, expected amlsched\.runId=someone-else\)/);
    return true;
  });
  assert.equal(fake.calls('PUT', 'Jobs_CreateOrUpdate').length, 1);
});

test('status follows the service, case-insensitively; unknown values are Unknown', async () => {
  await aml.compute.submit(jobSpec('r4-train-1'));
  for (const status of ['Queued', 'Running', 'Finalizing', 'Failed']) {
    fake.setJobStatus('r4-train-1', status);
    assert.equal((await aml.compute.get('r4-train-1')).status, status);
  }
  assert.equal(toJobStatus('completed'), 'Completed');
  assert.equal(toJobStatus('SomethingNew'), 'Unknown');
  assert.equal(toJobStatus(undefined), 'Unknown');
  await assert.rejects(aml.compute.get('nope'), { code: 'job_not_found' });
  assert.deepEqual(fake.violations(), []);
});

test('cancel posts the cancel operation and follows Location until it is done', async () => {
  await aml.compute.submit(jobSpec('r5-train-1'));
  fake.cancelPolls = 2;
  await aml.compute.cancel('r5-train-1');
  assert.equal(fake.calls('POST', 'Jobs_Cancel').length, 1);
  assert.equal(fake.requests.filter((r) => r.path.startsWith('/operations/')).length, 3, 'two pending polls, then done');
  assert.equal((await aml.compute.get('r5-train-1')).status, 'Canceled');
  await aml.compute.cancel('r5-train-1'); // finished: left as it is
  assert.equal(fake.calls('POST', 'Jobs_Cancel').length, 1);
  assert.deepEqual(fake.violations(), []);
});

test('a completed job registers its output once as the requested data version', async () => {
  await aml.compute.submit(jobSpec('r6-train-1'));
  fake.setJobStatus('r6-train-1', 'Completed');
  const state = await aml.compute.get('r6-train-1');
  assert.equal(state.outputs.model, `${DS}/runs/r1/train/model/`);
  await aml.compute.get('r6-train-1');
  await createAzureMlServices({ env: fake.env() }).compute.get('r6-train-1');
  assert.equal(fake.calls('PUT', 'DataVersions_CreateOrUpdate').length, 1);
  const registered = await aml.data.get('model-out', 'r1');
  assert.equal(registered?.uri, `${DS}/runs/r1/train/model/`);
  assert.equal(registered?.type, 'uri_folder');
  assert.deepEqual(registered?.producedBy, { runId: 'r1', step: 'train', jobName: 'r6-train-1' });
  assert.deepEqual(fake.violations(), []);
});

test('logs point to the studio: the management API has no log download', async () => {
  await aml.compute.submit(jobSpec('r7-train-1'));
  const text = await aml.compute.logs('r7-train-1');
  assert.match(text, /no job log download/);
  assert.ok(text.includes(`https://ml.azure.com/runs/r7-train-1?wsid=${fake.workspaceId}`));
});

test('azureml:NAME@latest environments and data inputs resolve to the newest version', async () => {
  fake.seedVersion('environments', 'sklearn', '1', { image: 'mcr.microsoft.com/azureml/sklearn:1' });
  fake.seedVersion('environments', 'sklearn', '2', { image: 'mcr.microsoft.com/azureml/sklearn:2' });
  fake.seedVersion('data', 'raw-data', '7', { dataType: 'uri_folder', dataUri: `${DS}/raw/7/` });
  fake.seedVersion('data', 'raw-data', '8', { dataType: 'uri_folder', dataUri: `${DS}/raw/8/` });
  await aml.compute.submit(jobSpec('r8-train-1', {
    environment: { kind: 'registered', name: 'sklearn', version: 'latest' },
    inputs: { raw: { kind: 'data', type: 'uri_folder', uri: 'azureml:raw-data@latest', mode: 'download' } },
  }));
  const p = putBody('r8-train-1');
  assert.equal(p.environmentId, `${fake.workspaceId}/environments/sklearn/versions/2`);
  assert.equal(p.inputs.raw!.uri, 'azureml:raw-data:8');
  const list = fake.calls('GET', 'EnvironmentVersions_List')[0]!;
  assert.equal(list.query.$orderBy, 'createdtime desc');
  assert.equal(list.query.$top, '1');
  await assert.rejects(aml.compute.submit(jobSpec('r8-train-2', { environment: { kind: 'registered', name: 'missing', version: 'latest' } })), { code: 'unresolved_reference' });
  assert.deepEqual(fake.violations(), []);
});

test('an inline image + conda environment becomes one environment version named by content hash', async () => {
  await writeFile(path.join(tmp, 'conda.yml'), 'dependencies:\n  - python=3.11\n');
  const environment = { kind: 'inline' as const, image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04', condaFile: 'conda.yml' };
  await aml.compute.submit(jobSpec('r9-train-1', { environment }));
  await aml.compute.submit(jobSpec('r9-train-2', { environment }));
  const puts = fake.calls('PUT', 'EnvironmentVersions_CreateOrUpdate');
  assert.equal(puts.length, 1);
  assert.deepEqual((puts[0]!.body as { properties: unknown }).properties, {
    image: environment.image, osType: 'Linux', isAnonymous: false, condaFile: 'dependencies:\n  - python=3.11\n',
  });
  const envId = putBody('r9-train-1').environmentId as string;
  assert.match(envId, /\/environments\/amlsched-inline\/versions\/[0-9a-f]{32}$/);
  assert.equal(putBody('r9-train-2').environmentId, envId);
  await assert.rejects(aml.compute.submit(jobSpec('r9-train-3', { environment: { kind: 'none' } })), { code: 'missing_environment' });
  assert.deepEqual(fake.violations(), []);
});

test('code: a folder is uploaded once per content hash, and its code version is created once', async () => {
  const folder = path.join(tmp, 'src');
  await mkdir(path.join(folder, 'pkg'), { recursive: true });
  await writeFile(path.join(folder, 'train.py'), 'print("hi")\n');
  await writeFile(path.join(folder, 'pkg', 'util.py'), 'X = 1\n');
  const datastore = new MemoryDatastore();
  const first = await uploadCodeFolder(folder, datastore);
  const writes = datastore.writes.length;
  const second = await uploadCodeFolder(folder, datastore);
  assert.equal(first.uploaded, true);
  assert.equal(second.uploaded, false);
  assert.equal(second.uri, first.uri);
  assert.equal(datastore.writes.length, writes, 'nothing written the second time');
  assert.equal(first.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${first.hash}/src/`);
  assert.deepEqual(datastore.writes.slice(0, 2).sort(), [`LocalUpload/${first.hash}/src/pkg/util.py`, `LocalUpload/${first.hash}/src/train.py`]);

  await aml.compute.submit(jobSpec('r10-train-1', { code: first.uri }));
  await aml.compute.submit(jobSpec('r10-train-2', { code: first.uri }));
  const codePuts = fake.calls('PUT', 'CodeVersions_CreateOrUpdate');
  assert.equal(codePuts.length, 1);
  assert.equal((codePuts[0]!.body as { properties: { codeUri: string } }).properties.codeUri,
    `https://fakeaccount.blob.core.windows.net/azureml-workspaceblobstore/LocalUpload/${first.hash}/src/`);
  assert.equal(fake.calls('GET', 'Datastores_Get').length, 1);
  const codeId = putBody('r10-train-1').codeId as string;
  assert.match(codeId, new RegExp(`^${fake.workspaceId}/codes/amlsched-code/versions/[0-9a-f]{32}$`));
  assert.equal(putBody('r10-train-2').codeId, codeId);

  await writeFile(path.join(folder, 'train.py'), 'print("changed")\n');
  const changed = await uploadCodeFolder(folder, datastore);
  assert.equal(changed.uploaded, true);
  assert.notEqual(changed.hash, first.hash);
  await aml.compute.submit(jobSpec('r10-train-3', { code: changed.uri }));
  assert.equal(fake.calls('PUT', 'CodeVersions_CreateOrUpdate').length, 2);
  assert.notEqual(putBody('r10-train-3').codeId, codeId);
  assert.deepEqual(fake.violations(), []);
});

test('service errors carry the driver name and a stable code (the spec refuses the job name)', async () => {
  await assert.rejects(aml.compute.submit(jobSpec('-bad-name')), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'aml_rejected');
    assert.match(err.message, /^azureml: create job '-bad-name' failed: HTTP 400 UserError: Request is invalid/);
    return true;
  });
  assert.deepEqual(fake.violations().filter((v) => v.includes('path.id')).length, 1);
});

test('serverless jobs name no compute and carry the instance type', async () => {
  await aml.compute.submit(jobSpec('r11-train-1', { compute: 'serverless', instanceCount: undefined, instanceType: 'Standard_DS3_v2' }));
  const p = putBody('r11-train-1');
  assert.equal('computeId' in p, false);
  assert.deepEqual(p.resources, { instanceType: 'Standard_DS3_v2' });
  assert.deepEqual(fake.violations(), []);
});

test('why job bodies bypass the SDK serializer: jobs.createOrUpdate in 2.1.1 drops uri and mode', async () => {
  const body = { properties: { jobType: 'Command', command: 'echo', environmentId: 'azureml:env:1', inputs: { raw: { jobInputType: 'uri_folder', uri: `${DS}/raw/`, mode: 'ReadOnlyMount' } } } };
  await assert.rejects(aml.workspace.sdk.jobs.createOrUpdate(fake.resourceGroup, fake.workspace, 'sdk-serialized', body as never));
  // If this starts failing, the SDK serializes job inputs correctly and the raw-JSON path could go.
  const sent = fake.calls('PUT', 'Jobs_CreateOrUpdate')[0]!.body as { properties: Props };
  assert.deepEqual(sent.properties.inputs.raw, { jobInputType: 'uri_folder' });
  assert.deepEqual(fake.violations(), [
    `PUT ${fake.workspaceId}/jobs/sdk-serialized properties.inputs.raw.uri: is required`,
  ]);
});

test('code snapshots leave out what .amlignore (else .gitignore) names, as az ml does', async () => {
  const folder = path.join(tmp, 'ignoring');
  await mkdir(path.join(folder, '__pycache__'), { recursive: true });
  await writeFile(path.join(folder, 'main.py'), 'print(1)\n');
  await writeFile(path.join(folder, '__pycache__', 'main.cpython-311.pyc'), 'bytecode');
  await writeFile(path.join(folder, 'run.log'), 'noise');
  await writeFile(path.join(folder, '.gitignore'), 'main.py\n');
  await writeFile(path.join(folder, '.amlignore'), '__pycache__/\n*.log\n');
  const datastore = new MemoryDatastore();
  const first = await uploadCodeFolder(folder, datastore);
  assert.deepEqual(datastore.writes.filter((w) => !w.endsWith('.amlsched-complete')).map((w) => w.slice(`LocalUpload/${first.hash}/ignoring/`.length)).sort(),
    ['.amlignore', '.gitignore', 'main.py']);
  await writeFile(path.join(folder, 'run.log'), 'more noise');
  assert.equal((await uploadCodeFolder(folder, datastore)).uploaded, false, 'an ignored file does not change the snapshot');
});
