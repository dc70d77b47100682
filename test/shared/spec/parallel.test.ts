import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMiniBatchSize } from '../../../shared/spec/parallel';

describe('mini_batch_size', () => {
  it('reads file counts and sizes', () => {
    assert.deepEqual(parseMiniBatchSize(5), { kind: 'count', files: 5 });
    assert.deepEqual(parseMiniBatchSize('5'), { kind: 'count', files: 5 });
    assert.deepEqual(parseMiniBatchSize('10kb'), { kind: 'bytes', bytes: 10240 });
    assert.deepEqual(parseMiniBatchSize('1MB'), { kind: 'bytes', bytes: 1048576 });
    assert.deepEqual(parseMiniBatchSize('2 gb'), { kind: 'bytes', bytes: 2 * 1024 ** 3 });
  });

  it('refuses anything else', () => {
    for (const v of [0, -1, 1.5, '0', '10xb', 'kb', '', true, null]) assert.equal(parseMiniBatchSize(v), undefined, String(v));
  });
});
