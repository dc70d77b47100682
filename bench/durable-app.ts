// The Functions app the Durable benchmark runs: no-op activities in the three shared shapes.
// Loaded only through loadApp (it registers functions when required).
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { performance } from 'node:perf_hooks';

/** Start time of every no-op step, for step-to-next-step gaps. */
export const marks: number[] = [];

df.app.activity('noop', { handler: async (input: unknown) => { marks.push(performance.now()); return input; } });
df.app.activity('fanIn', { handler: async (count: number) => count });

df.app.orchestration('benchChain', function* (ctx: OrchestrationContext) {
  const n = ctx.df.getInput<number>();
  for (let i = 0; i < n; i++) yield ctx.df.callActivity('noop', i);
  return n;
});

df.app.orchestration('benchFanout', function* (ctx: OrchestrationContext) {
  const n = ctx.df.getInput<number>();
  const results: number[] = yield ctx.df.Task.all(Array.from({ length: n }, (_, i) => ctx.df.callActivity('noop', i)));
  return yield ctx.df.callActivity('fanIn', results.length);
});

df.app.orchestration('benchDag', function* (ctx: OrchestrationContext) {
  const { levels, width } = ctx.df.getInput<{ levels: number; width: number }>();
  for (let level = 0; level < levels; level++) {
    yield ctx.df.Task.all(Array.from({ length: width }, (_, i) => ctx.df.callActivity('noop', level * width + i)));
  }
  return levels * width;
});
