/** Binding resolved schedule inputs to pipeline inputs: literals, data inputs, and batch lists by input type. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pipelineInputs } from '../../../functions/triggers/schedule-run';
import type { DatastoreRegistry } from '../../../shared/datastore/types';
import type { PipelinePlan } from '../../../shared/spec/plan';
import { MemoryDatastore } from '../../_helpers/fake-aml/memory-datastore';

const uris = ['azureml://datastores/ws/paths/in/a/1.csv', 'azureml://datastores/ws/paths/in/b/2.csv'];

function plan(types: Record<string, string>): PipelinePlan {
  return { inputs: Object.fromEntries(Object.entries(types).map(([k, type]) => [k, { type, optional: false }])) } as unknown as PipelinePlan;
}

describe('schedule inputs to pipeline inputs', () => {
  it('binds a batch list as a manifest file, the common folder, or newline-separated text', async () => {
    const datastore = new MemoryDatastore('workspaceblobstore', 'c');
    const datastores = { get: () => datastore, defaultName: 'workspaceblobstore' } as unknown as DatastoreRegistry;
    const list = { type: 'uri_file_list' as const, paths: uris };
    const out = await pipelineInputs(plan({ file: 'uri_file', folder: 'uri_folder', text: 'string', n: 'integer', data: 'uri_folder' }), {
      file: list,
      folder: list,
      text: list,
      n: 3,
      data: { type: 'uri_folder', path: 'azureml://datastores/ws/paths/in/a/', mode: 'ro_mount' },
    }, 'run-1', { datastores });
    assert.equal(out.file, 'azureml://datastores/workspaceblobstore/paths/amlsched/batches/run-1/blobs.txt');
    assert.equal((await datastore.get('amlsched/batches/run-1/blobs.txt')).toString(), `${uris.join('\n')}\n`);
    assert.equal(out.folder, 'azureml://datastores/ws/paths/in/');
    assert.equal(out.text, uris.join('\n'));
    assert.equal(out.n, 3);
    assert.equal(out.data, 'azureml://datastores/ws/paths/in/a/');
  });
});
