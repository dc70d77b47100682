import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admitRuns } from '../../../shared/triggers/concurrency';

describe('max_concurrent_runs', () => {
  it('without a cap everything starts', () => {
    assert.deepEqual(admitRuns(['a', 'b'], 10), { start: ['a', 'b'], wait: [] });
  });

  it('runs beyond the cap wait, in arrival order', () => {
    assert.deepEqual(admitRuns(['a', 'b', 'c', 'd'], 1, 3), { start: ['a', 'b'], wait: ['c', 'd'] });
    assert.deepEqual(admitRuns(['a'], 3, 3), { start: [], wait: ['a'] });
    assert.deepEqual(admitRuns(['a'], 5, 3), { start: [], wait: ['a'] });
  });

  it('as runs finish the waiting ones are admitted until the queue drains', () => {
    let queue = ['r1', 'r2', 'r3', 'r4', 'r5'];
    let running = 0;
    const order: string[] = [];
    while (queue.length > 0) {
      const { start, wait } = admitRuns(queue, running, 2);
      assert.ok(running + start.length <= 2);
      order.push(...start);
      running += start.length;
      queue = wait;
      running -= 1; // one run finishes
    }
    assert.deepEqual(order, ['r1', 'r2', 'r3', 'r4', 'r5']);
  });
});
