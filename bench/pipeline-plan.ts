/**
 * Synthetic PipelinePlans for the pipeline benchmark: a layered DAG (each step reads the output
 * of one or two steps of the level before) and a chain. Every command carries a tag, so a second
 * run of the same shape misses the reuse cache and really runs its jobs.
 */
import type { PipelinePlan } from '../shared/spec/plan';
import { plan, step, type StepOptions } from '../test/_helpers/runs/plans';

const OUT = { out: {} };

/** `levels` × `width` steps; step i of level L > 0 reads step i and, for even i, step (7i+3) mod width of level L−1. */
export function layeredPlan(tag: string, levels: number, width: number): PipelinePlan {
  const steps = [];
  for (let level = 0; level < levels; level += 1) {
    for (let i = 0; i < width; i += 1) {
      const inputs: StepOptions['inputs'] = {};
      if (level > 0) {
        inputs.a = { step: name(level - 1, i), output: 'out' };
        const other = (7 * i + 3) % width;
        if (i % 2 === 0 && other !== i) inputs.b = { step: name(level - 1, other), output: 'out' };
      }
      steps.push(step(name(level, i), { command: `echo ${tag} ${name(level, i)}`, inputs, outputs: OUT }));
    }
  }
  return plan(`bench-${tag}`, steps);
}

/** `n` steps, each reading the output of the one before. */
export function chainPlan(tag: string, n: number): PipelinePlan {
  const steps = Array.from({ length: n }, (_, i) =>
    step(`c${i}`, { command: `echo ${tag} c${i}`, inputs: i === 0 ? {} : { a: { step: `c${i - 1}`, output: 'out' } }, outputs: OUT }));
  return plan(`bench-${tag}`, steps);
}

function name(level: number, i: number): string {
  return `l${level}_s${i}`;
}
