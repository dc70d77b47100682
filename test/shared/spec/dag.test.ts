import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCycles, topologicalOrder } from '../../../shared/spec/dag';

const n = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

describe('step order', () => {
  it('puts dependencies first and keeps document order among ready steps', () => {
    const order = topologicalOrder([n('report', 'train', 'score'), n('prep'), n('score', 'train'), n('train', 'prep'), n('other')]);
    assert.deepEqual(order.map((s) => s.name), ['prep', 'train', 'score', 'report', 'other']);
  });

  it('names each cycle, starting at its first step in the document', () => {
    assert.deepEqual(findCycles([n('a', 'c'), n('b', 'a'), n('c', 'b'), n('d', 'd'), n('e', 'a')]), [['a', 'c', 'b', 'a'], ['d', 'd']]);
    assert.deepEqual(findCycles([n('a'), n('b', 'a')]), []);
  });
});
