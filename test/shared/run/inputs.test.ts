import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePipelineInputs } from '../../../shared/run/inputs';
import type { PipelinePlan } from '../../../shared/spec/plan';
import { plan } from '../../_helpers/runs/plans';

const p: PipelinePlan = plan('inputs', [], {
  inputs: {
    n: { type: 'integer', optional: false, min: 1, max: 10 },
    rate: { type: 'number', optional: true, default: 0.5 },
    flag: { type: 'boolean', optional: false, value: false },
    mode: { type: 'string', optional: false, enum: ['fast', 'slow'], value: 'fast' },
    text: { type: 'string', optional: true },
    data: { type: 'uri_folder', optional: false, data: { kind: 'datastore', datastore: 'workspaceblobstore', path: 'in/' } },
    local: { type: 'uri_file', optional: true, data: { kind: 'local', path: 'data/x.csv' } },
  },
});
const sources = { 'data/x.csv': { uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h/x.csv', hash: 'h' } };

test('values from outside are converted to the declared types; defaults fill the rest', () => {
  const resolved = resolvePipelineInputs(p, { n: '7', flag: 'TRUE', text: '; rm -rf ~' }, sources);
  assert.deepEqual(resolved, {
    n: { kind: 'literal', value: 7 },
    rate: { kind: 'literal', value: 0.5 },
    flag: { kind: 'literal', value: true },
    mode: { kind: 'literal', value: 'fast' },
    text: { kind: 'literal', value: '; rm -rf ~' },
    data: { kind: 'data', type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/in/' },
    local: { kind: 'data', type: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h/x.csv' },
  });
});

test('bad values fail with a ValidationError naming the input', () => {
  const cases: [Record<string, unknown>, RegExp, string][] = [
    [{}, /inputs\.n: is required/, 'missing_input'],
    [{ n: '1.5' }, /inputs\.n: expects an integer/, 'invalid_input'],
    [{ n: 11 }, /inputs\.n: must be at most 10/, 'invalid_input'],
    [{ n: 0 }, /inputs\.n: must be at least 1/, 'invalid_input'],
    [{ n: 2, flag: 'yes' }, /inputs\.flag: expects a boolean/, 'invalid_input'],
    [{ n: 2, mode: 'medium' }, /inputs\.mode: must be one of "fast", "slow"/, 'invalid_input'],
    [{ n: 2, data: './local/path' }, /inputs\.data: expects a uri_folder reference/, 'invalid_input'],
    [{ n: 2, nope: 1 }, /inputs\.nope: is not an input of the pipeline/, 'unknown_input'],
  ];
  for (const [given, message, code] of cases) {
    assert.throws(() => resolvePipelineInputs(p, given, sources), (err: Error & { code?: string; name?: string }) => {
      assert.equal(err.name, 'ValidationError');
      assert.equal(err.code, code);
      assert.match(err.message, message);
      return true;
    }, JSON.stringify(given));
  }
  assert.throws(() => resolvePipelineInputs(p, { n: 1 }, {}), /local path 'data\/x\.csv' was not uploaded/);
});

test('data inputs accept azureml URIs, asset references and URLs', () => {
  for (const uri of ['azureml:iris:1', 'azureml:iris@latest', 'azureml://datastores/d/paths/p', 'https://example.com/x.csv']) {
    assert.equal((resolvePipelineInputs(p, { n: 1, data: uri }, sources).data as { uri: string }).uri, uri);
  }
});
