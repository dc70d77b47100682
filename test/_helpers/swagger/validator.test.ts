/**
 * The validator is checked against the specification's own examples before it is trusted to judge
 * the driver's requests: every example request and response validates (one documented mismatch in
 * the upstream example), and mutated bodies fail with a precise path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SwaggerValidator } from './validator';
import { SpecOperations } from './operations';
import { examplePath, loadExamples } from './examples';

const SPEC_FILES = ['2025-12-01/mfe.json', '2025-12-01/machineLearningServices.json'];
const validator = new SwaggerValidator();
const operations = new SpecOperations(validator, SPEC_FILES);
const examples = loadExamples(operations, SPEC_FILES);
const MFE = '2025-12-01/mfe.json';

function exampleBody(file: string): Record<string, unknown> {
  const ex = examples.find((e) => e.file === file);
  assert.ok(ex, `example ${file} present`);
  return structuredClone(ex.parameters.body) as Record<string, unknown>;
}

function commandJob(): { properties: Record<string, unknown> } {
  const body = exampleBody('examples/Job/CommandJob/createOrUpdate.json') as { properties: Record<string, unknown> };
  delete body.properties.parentJobName; // see the first test
  return body;
}

test('every example in the reference copy is found and matched to its operation', () => {
  const ids = examples.map((e) => e.operationId).sort();
  assert.deepEqual(ids, [
    'CodeVersions_CreateOrUpdate', 'ComponentVersions_CreateOrUpdate', 'ComponentVersions_Get', 'ComponentVersions_List',
    'Compute_Get', 'DataVersions_CreateOrUpdate', 'Datastores_Get', 'EnvironmentVersions_CreateOrUpdate',
    'Jobs_Cancel', 'Jobs_CreateOrUpdate', 'Jobs_Get', 'Jobs_List', 'VirtualMachineSizes_List',
  ]);
  for (const ex of examples) {
    const op = operations.match(ex.method, examplePath(ex));
    assert.equal(op?.operationId, ex.operationId, ex.file);
  }
});

test('example requests and responses validate; the only finding is the upstream example field parentJobName', () => {
  const findings: string[] = [];
  for (const ex of examples) {
    const op = operations.match(ex.method, examplePath(ex));
    assert.ok(op);
    const query = new URLSearchParams({ 'api-version': String(ex.parameters['api-version']) });
    for (const v of operations.validateRequest(op, query, ex.parameters.body)) findings.push(`${ex.file} request ${v.path}: ${v.message}`);
    for (const [status, response] of Object.entries(ex.responses)) {
      for (const v of operations.validateResponse(op, Number(status), response.body)) findings.push(`${ex.file} ${status} ${v.path}: ${v.message}`);
    }
  }
  // CommandJob (and JobBase) in 2025-12-01 define no parentJobName, and CommandJob says
  // additionalProperties: false, yet the createOrUpdate example sends it.
  assert.deepEqual(findings, [
    'examples/Job/CommandJob/createOrUpdate.json request properties.parentJobName: is not a property of this model',
    'examples/Job/CommandJob/createOrUpdate.json 200 properties.parentJobName: is not a property of this model',
    'examples/Job/CommandJob/createOrUpdate.json 201 properties.parentJobName: is not a property of this model',
  ]);
});

test('a command job with uri_folder input/output, limits and resources validates (subtypes by discriminator)', () => {
  const body = commandJob();
  body.properties.inputs = {
    raw: { jobInputType: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/raw/', mode: 'ReadOnlyMount' },
    file: { jobInputType: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/a.csv', mode: 'Download' },
    lr: { jobInputType: 'literal', value: '0.1' },
  };
  body.properties.outputs = { model: { jobOutputType: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/out/', mode: 'Upload' } };
  assert.deepEqual(validator.validateDefinition(MFE, 'JobBaseResource', body, 'request'), []);
});

const mutations: Array<[string, (p: Record<string, unknown>) => void, string, RegExp]> = [
  ['bad input mode', (p) => { p.inputs = { raw: { jobInputType: 'uri_folder', uri: 'u', mode: 'ReadOnly' } }; }, 'properties.inputs.raw.mode', /not one of/],
  ['uri_folder input without uri', (p) => { p.inputs = { raw: { jobInputType: 'uri_folder', mode: 'Download' } }; }, 'properties.inputs.raw.uri', /required/],
  ['unknown input type', (p) => { p.inputs = { raw: { jobInputType: 'uri_folders', uri: 'u' } }; }, 'properties.inputs.raw.jobInputType', /unknown jobInputType/],
  ['output with assetName (not in 2025-12-01)', (p) => { p.outputs = { o: { jobOutputType: 'uri_folder', assetName: 'x' } }; }, 'properties.outputs.o.assetName', /not a property/],
  ['missing command', (p) => { delete p.command; }, 'properties.command', /required/],
  ['read-only status sent', (p) => { p.status = 'Running'; }, 'properties.status', /read-only/],
  ['timeout not a duration', (p) => { p.limits = { jobLimitsType: 'Command', timeout: '5 minutes' }; }, 'properties.limits.timeout', /ISO 8601/],
  ['instanceCount as string', (p) => { p.resources = { instanceCount: '1' }; }, 'properties.resources.instanceCount', /integer/],
  ['environment variable not a string', (p) => { p.environmentVariables = { A: 1 }; }, 'properties.environmentVariables.A', /string/],
  ['unknown job type', (p) => { p.jobType = 'Commands'; }, 'properties.jobType', /unknown jobType/],
];

for (const [name, mutate, path, message] of mutations) {
  test(`mutated job body fails precisely: ${name}`, () => {
    const body = commandJob();
    mutate(body.properties);
    const violations = validator.validateDefinition(MFE, 'JobBaseResource', body, 'request');
    assert.equal(violations.length, 1, JSON.stringify(violations));
    assert.equal(violations[0]?.path, path);
    assert.match(violations[0]?.message ?? '', message);
  });
}

test('mutated data version bodies fail precisely', () => {
  const body = exampleBody('examples/Workspace/DataVersionBase/createOrUpdate.json') as { properties: Record<string, unknown> };
  assert.deepEqual(validator.validateDefinition(MFE, 'DataVersionBaseResource', body, 'request'), []);
  delete body.properties.dataUri;
  body.properties.dataType = 'uri_folder';
  assert.deepEqual(validator.validateDefinition(MFE, 'DataVersionBaseResource', body, 'request'), [{ path: 'properties.dataUri', message: 'is required' }]);
  body.properties.dataUri = 'azureml://datastores/d/paths/p/';
  body.properties.isAnonymous = 'no';
  assert.deepEqual(validator.validateDefinition(MFE, 'DataVersionBaseResource', body, 'request'), [{ path: 'properties.isAnonymous', message: 'expected a boolean, got string' }]);
});

test('path parameter patterns and required query parameters are checked', () => {
  const op = operations.match('PUT', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/my-workspace/jobs/-bad');
  assert.equal(op?.operationId, 'Jobs_CreateOrUpdate');
  const violations = operations.validateRequest(op, new URLSearchParams(), commandJob());
  assert.deepEqual(violations.map((v) => v.path).sort(), ['path.id', 'query.api-version']);
});
