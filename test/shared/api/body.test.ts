import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { parseJsonText, parseWith, queryObject } from '../../../shared/api/body';
import { ValidationError } from '../../../shared/errors';

const schema = z.object({ inputs: z.record(z.string(), z.string()).optional(), top: z.number().int().optional() }).strict();

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.location.path;
  }
  assert.fail('expected a ValidationError');
}

test('the first problem names its field with a body. prefix', () => {
  assert.equal(fieldOf(() => parseJsonText(schema, '{"inputs":{"a":1}}')), 'body.inputs.a');
  assert.equal(fieldOf(() => parseJsonText(schema, '{"top":"x"}')), 'body.top');
});

test('unknown keys of a strict body are refused', () => {
  assert.throws(() => parseJsonText(schema, '{"inptus":{}}'), (err: ValidationError) => err.code === 'invalid_request' && /inptus/.test(err.message) && err.location.path === 'body');
});

test('malformed JSON and a missing body are 400-class errors on the body', () => {
  assert.throws(() => parseJsonText(schema, '{"inputs":'), (err: ValidationError) => err.code === 'invalid_json' && err.location.path === 'body');
  assert.throws(() => parseJsonText(schema, ''), (err: ValidationError) => err.code === 'invalid_request' && err.location.path === 'body');
  assert.deepEqual(parseJsonText(schema, '', { emptyAsObject: true }), {});
});

test('query values are checked with a query. prefix', () => {
  const q = z.object({ top: z.coerce.number().int().min(1) });
  assert.deepEqual(parseWith(q, queryObject(new URLSearchParams('top=5')), 'query'), { top: 5 });
  assert.equal(fieldOf(() => parseWith(q, queryObject(new URLSearchParams('top=0')), 'query')), 'query.top');
});
