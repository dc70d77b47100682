import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemFromError } from '../../../shared/api/problem';
import { AmlSchedError, ConfigurationError, NotFoundError, ServiceError, ValidationError } from '../../../shared/errors';

test('a validation error is a 400 naming the field', () => {
  const p = problemFromError(new ValidationError('invalid_request', 'body.inputs.n: expected a number', { path: 'body.inputs.n' }), '/api/runs');
  assert.equal(p.status, 400);
  assert.equal(p.title, 'Bad request');
  assert.equal(p.code, 'invalid_request');
  assert.equal(p.field, 'body.inputs.n');
  assert.equal(p.detail, 'body.inputs.n: expected a number');
  assert.equal(p.instance, '/api/runs');
  assert.equal(p.type, 'urn:amlsched:problem:invalid_request');
});

test('not found is 404, conflicts are 409, unreachable services are 502', () => {
  assert.equal(problemFromError(new NotFoundError('run_not_found', "run 'x' not found")).status, 404);
  assert.equal(problemFromError(new AmlSchedError('conflict', 'exists', { kind: 'user' })).status, 409);
  assert.equal(problemFromError(new ServiceError('blob_unavailable', 'azurite down')).status, 502);
  assert.equal(problemFromError(new AmlSchedError('run_not_finished', 'still running', { kind: 'user' })).status, 409);
  assert.equal(problemFromError(new AmlSchedError('run_history_purged', 'purged', { kind: 'user' })).status, 410);
});

test('located problems of a document are listed, and the first field comes along', () => {
  const problems = [{ code: 'missing_field', file: 's.yml', line: 3, column: 1, path: 'trigger', message: 'trigger is required' }];
  const p = problemFromError(new ValidationError('invalid_schedule', 's.yml:3:1: trigger is required', { path: 'trigger', details: { problems } }));
  assert.equal(p.status, 400);
  assert.deepEqual(p.errors, problems);
  assert.equal(p.field, 'trigger');
});

test('unexpected errors are 500 without internals, and secrets never reach the detail', () => {
  const p = problemFromError(new Error('boom at /srv/secret.ts AccountKey=abc'));
  assert.equal(p.status, 500);
  assert.doesNotMatch(p.detail, /boom|AccountKey/);
  const user = problemFromError(new ValidationError('invalid_request', 'bad url https://x?code=supersecret', { path: 'body' }));
  assert.doesNotMatch(user.detail, /supersecret/);
});

test('a missing app setting is the operator\'s problem: 503 naming the setting', () => {
  const p = problemFromError(new ConfigurationError('AMLSCHED_COMPUTE', "must be 'local' or 'azureml'"));
  assert.equal(p.status, 503);
  assert.match(p.detail, /^AMLSCHED_COMPUTE: /);
});
