import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainPlan, layeredPlan } from '../../bench/pipeline-plan';
import { chunkSteps } from '../../orchestrators/chunks';

test('layered bench plan: levels × width steps, each reading one or two steps of the level before', () => {
  const plan = layeredPlan('t', 10, 100);
  assert.equal(plan.steps.length, 1000);
  const level = (name: string) => Number(/^l(\d+)_/.exec(name)?.[1]);
  for (const step of plan.steps) {
    if (level(step.name) === 0) {
      assert.deepEqual(step.dependsOn, []);
      continue;
    }
    assert.ok(step.dependsOn.length >= 1 && step.dependsOn.length <= 2, step.name);
    for (const dep of step.dependsOn) assert.equal(level(dep), level(step.name) - 1, `${step.name} → ${dep}`);
  }
  assert.ok(plan.steps.some((s) => s.dependsOn.length === 2));
  // The product's chunking cuts it in 20 chunks of 50 with chunk dependencies only backwards.
  const chunks = chunkSteps(plan.steps, 50);
  assert.equal(chunks.length, 20);
  chunks.forEach((c, i) => c.dependsOn.forEach((d) => assert.ok(Number(d.slice('chunk-'.length)) < i)));
});

test('chain bench plan: each step reads the one before; commands carry the tag (no reuse across runs)', () => {
  const plan = chainPlan('x', 20);
  assert.equal(plan.steps.length, 20);
  plan.steps.forEach((s, i) => assert.deepEqual(s.dependsOn, i === 0 ? [] : [`c${i - 1}`]));
  const canonical = (tag: string) => {
    const first = chainPlan(tag, 1).steps[0];
    return first?.kind === 'command' ? first.component.canonical : undefined;
  };
  assert.ok(canonical('x'));
  assert.notEqual(canonical('x'), canonical('y'));
});
