import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkSteps } from '../../orchestrators/chunks';
import { isTransientFailure } from '../../orchestrators/retry';
import { step } from '../_helpers/runs/plans';

test('chunks are slices of the topological order that depend only on chunks holding their dependencies', () => {
  const steps = [
    step('a', { outputs: { o: {} } }), step('b', { outputs: { o: {} } }),
    step('c', { inputs: { x: { step: 'a', output: 'o' } } }), step('d', { inputs: { x: { step: 'b', output: 'o' } } }),
    step('e', { inputs: { x: { step: 'a', output: 'o' } } }),
  ];
  const chunks = chunkSteps(steps, 2);
  assert.deepEqual(chunks.map((c) => [c.id, c.steps.map((s) => s.name), c.dependsOn]), [
    ['chunk-0', ['a', 'b'], []],
    ['chunk-1', ['c', 'd'], ['chunk-0']],
    ['chunk-2', ['e'], ['chunk-0']],
  ]);
  assert.equal(chunkSteps(steps, 100).length, 1, 'a small pipeline is one chunk');
});

test('user errors, timeouts and cancellations are not transient; system errors are', () => {
  assert.equal(isTransientFailure({ code: 'UserError', message: '' }), false);
  assert.equal(isTransientFailure({ code: 'timeout', message: '' }), false);
  assert.equal(isTransientFailure({ code: 'SystemError', message: '' }), true);
  assert.equal(isTransientFailure({ code: 'ServiceError', message: '' }), true);
  assert.equal(isTransientFailure(undefined), true);
});
