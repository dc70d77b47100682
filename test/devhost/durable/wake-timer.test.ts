import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { WakeTimer } from '../../../devhost/durable/wake-timer';

describe('WakeTimer', () => {
  it('wakes for timers beyond setTimeout\'s 24.8-day cap by re-arming', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let now = 0;
      let woken = 0;
      const timer = new WakeTimer(() => { woken++; }, () => now);
      const thirtyDays = 30 * 24 * 3600 * 1000;
      timer.armAt(thirtyDays);
      const cap = 2 ** 31 - 1;
      now += cap;
      mock.timers.tick(cap);
      assert.equal(woken, 0, 'still waiting after the first capped step');
      now = thirtyDays;
      mock.timers.tick(thirtyDays - cap);
      assert.equal(woken, 1);
    } finally {
      mock.timers.reset();
    }
  });

  it('keeps the earliest time and can be cancelled', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let now = 0;
      const fired: number[] = [];
      const timer = new WakeTimer(() => fired.push(now), () => now);
      timer.armAt(100);
      timer.armAt(500);
      timer.armAt(50);
      now = 50;
      mock.timers.tick(50);
      assert.deepEqual(fired, [50]);
      timer.armAt(80);
      timer.cancel();
      now = 200;
      mock.timers.tick(150);
      assert.deepEqual(fired, [50]);
    } finally {
      mock.timers.reset();
    }
  });
});
