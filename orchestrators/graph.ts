/**
 * The DAG walk shared by the run orchestrator, nested pipelines and chunks. A step (or chunk)
 * starts as soon as its own dependencies are done, under a per-compute cap on running jobs.
 * Every step runs as a sub-orchestration, so this history holds only two events per step plus
 * the episodes; a child reports its result with a ChildDone event (see EVENTS.childDone); graphs wider than `settings.chunkSize` run as chunk sub-orchestrations (see
 * chunks.ts). The custom status carries every step's result so far.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { PARALLEL_ORCHESTRATORS, type ParallelStepInput } from '../shared/parallel/types';
import { ACTIVITIES, EVENTS, ORCHESTRATORS, chunkInstanceId, graphInstanceId, stepInstanceId, type ChildDone } from '../shared/run/names';
import type { GraphInput, GraphResult, StepInput } from '../shared/run/step-types';
import type { RunProgress, StepResult } from '../shared/run/types';
import type { PlannedStep } from '../shared/spec/plan';
import { bindStepInputs, outputRegistrations, pipelineOutputsOf } from './bindings';
import { activityRetry } from './activity-retry';
import { chunkSteps } from './chunks';

const DONE = new Set(['Completed', 'Failed', 'Canceled', 'Skipped']);

interface Unit {
  key: string;
  dependsOn: string[];
  compute?: string;
  instanceId?: string;
  start: (known: Record<string, StepResult>) => Task | StepResult;
  /** Folds the unit's outcome into the results; false when it failed. */
  finish: (outcome: unknown, faulted: boolean, startTime: string) => boolean;
}

export function* walkGraph(context: OrchestrationContext, g: GraphInput): Generator<Task, GraphResult, unknown> {
  const results: Record<string, StepResult> = {};
  const chunked = g.plan.steps.length > g.settings.chunkSize;
  const self = context.df.instanceId;
  const units = chunked ? chunkUnits(context, g, results, self) : stepUnits(context, g, results, self);
  const cap = Math.max(1, g.settings.maxJobsPerCompute);
  const pending = [...units];
  // Children in start order. Each child task is yielded once (in the Task.any that schedules it);
  // after that its result arrives as a ChildDone event, or is read off the task when it is done.
  const running: { unit: Unit; task: Task; startTime: string }[] = [];
  const perCompute: Record<string, number> = {};
  const cancel = context.df.waitForExternalEvent(EVENTS.cancel);
  let childDone = context.df.waitForExternalEvent(EVENTS.childDone);
  let canceled = false;
  let stopped = false;
  let failed = false;

  const settle = (index: number, outcome: unknown, faulted: boolean): void => {
    const [entry] = running.splice(index, 1);
    if (!entry) return;
    if (entry.unit.compute !== undefined) perCompute[entry.unit.compute] = (perCompute[entry.unit.compute] ?? 1) - 1;
    if (!entry.unit.finish(outcome, faulted, entry.startTime)) failed = true;
  };

  for (;;) {
    // Children whose task ended without (or before) their ChildDone event: crashed orchestrations.
    for (let i = running.length - 1; i >= 0; i -= 1) {
      const entry = running[i];
      if (entry?.task.isCompleted || entry?.task.isFaulted) settle(i, entry.task.result, entry.task.isFaulted);
    }
    const started: Task[] = [];
    if (!canceled && !stopped) {
      // Built once per pass (rebuilt only when a step finishes at once): rebuilding it per pending
      // unit made every replay of a wide graph quadratic in its size.
      let known = { ...g.external, ...results };
      for (const unit of [...pending]) {
        if (!unit.dependsOn.every((d) => DONE.has(known[d]?.status ?? ''))) continue;
        if (unit.compute !== undefined && (perCompute[unit.compute] ?? 0) >= cap) continue;
        pending.splice(pending.indexOf(unit), 1);
        const startTime = context.df.currentUtcDateTime.toISOString();
        const outcome = unit.start(known);
        if (!isTask(outcome)) {
          if (!unit.finish(outcome, false, startTime)) failed = true;
          known = { ...g.external, ...results };
          continue;
        }
        running.push({ unit, task: outcome, startTime });
        started.push(outcome);
        if (unit.compute !== undefined) perCompute[unit.compute] = (perCompute[unit.compute] ?? 0) + 1;
      }
      if (failed && !g.pipeline.continueOnStepFailure) stopped = true;
      // A step that finished at once may have unblocked others: look again before waiting.
      if (started.length === 0 && running.length === 0 && pending.some((u) => u.dependsOn.every((d) => DONE.has(known[d]?.status ?? '')))) continue;
    }
    const progress: RunProgress = { steps: results, ...(chunked ? { chunks: running.flatMap((r) => (r.unit.instanceId ? [r.unit.instanceId] : [])) } : {}), ...(canceled ? { canceling: true } : {}) };
    context.df.setCustomStatus(progress);
    if (running.length === 0) break;

    const winner = (yield context.df.Task.any([...started, childDone, ...(canceled ? [] : [cancel])])) as Task;
    if (winner === cancel) {
      canceled = true;
      const instanceIds = running.flatMap((r) => (r.unit.instanceId ? [r.unit.instanceId] : []));
      if (instanceIds.length > 0) yield context.df.callActivityWithRetry(ACTIVITIES.signalCancel, activityRetry(), { instanceIds });
      continue;
    }
    if (winner === childDone) {
      const done = childDone.result as ChildDone | undefined;
      childDone = context.df.waitForExternalEvent(EVENTS.childDone);
      const index = running.findIndex((r) => r.unit.key === done?.key);
      // Unknown or repeated keys (an activity that ran twice) change nothing.
      if (done && index >= 0) settle(index, done.result, false);
    }
    // A child task that won is settled at the top of the loop.
  }

  const own = g.plan.steps.map((s) => results[s.name]);
  const status = canceled ? 'Canceled' : failed || own.some((r) => r === undefined || r.status !== 'Completed') ? 'Failed' : 'Completed';
  return { status, steps: results, outputs: pipelineOutputsOf(g.plan.steps, results) };
}

function isTask(value: Task | StepResult): value is Task {
  return typeof (value as Task).isCompleted === 'boolean';
}

function stepUnits(context: OrchestrationContext, g: GraphInput, results: Record<string, StepResult>, self: string): Unit[] {
  return g.plan.steps.map((step) => {
    const path = g.prefix + step.name;
    const instanceId = step.kind === 'pipeline' ? graphInstanceId(g.runId, path) : stepInstanceId(g.runId, path);
    const markRunning = (): void => {
      results[step.name] = { status: 'Running', outputs: {}, startTime: context.df.currentUtcDateTime.toISOString() };
    };
    return {
      key: step.name,
      dependsOn: step.dependsOn,
      ...(step.kind === 'pipeline' ? {} : { compute: step.compute }),
      instanceId,
      start: (known) => {
        const blocked = step.dependsOn.find((d) => known[d]?.status !== 'Completed');
        if (blocked !== undefined) return skipped(context, `dependency '${blocked}' ${known[blocked]?.status.toLowerCase() ?? 'did not run'}`);
        markRunning();
        if (step.kind === 'pipeline') {
          const nested: GraphInput = {
            parent: { instanceId: self, key: step.name },
            runId: g.runId,
            prefix: `${path}/`,
            graphPath: path,
            plan: { outputs: step.pipeline.outputs, steps: step.pipeline.steps },
            pipeline: { ...g.pipeline, forceRerun: g.pipeline.forceRerun || step.pipeline.settings.forceRerun, continueOnStepFailure: step.pipeline.settings.continueOnStepFailure || g.pipeline.continueOnStepFailure },
            inputs: nestedInputs(step, g, known),
            outputRegistrations: outputRegistrations(step, g.plan.outputs, g.outputRegistrations),
            external: {},
            sources: g.sources,
            settings: g.settings,
            ...(g.hints ? { hints: g.hints } : {}),
          };
          return context.df.callSubOrchestrator(ORCHESTRATORS.graph, nested, instanceId);
        }
        const hint = g.hints?.[path];
        const common: Omit<StepInput, 'step'> = {
          parent: { instanceId: self, key: step.name },
          runId: g.runId,
          path,
          inputs: bindStepInputs(step, g.inputs, known, g.sources),
          registrations: outputRegistrations(step, g.plan.outputs, g.outputRegistrations),
          pipeline: g.pipeline,
          sources: g.sources,
          settings: g.settings,
          ...(hint ? { hint } : {}),
        };
        if (step.kind === 'parallel') {
          // miniBatches marks the step parallel, so live progress reads its mini-batch counts.
          results[step.name] = { ...results[step.name]!, miniBatches: { total: 0, done: 0, failed: 0 } };
          const parallel: ParallelStepInput = { ...common, step };
          return context.df.callSubOrchestrator(PARALLEL_ORCHESTRATORS.step, parallel, instanceId);
        }
        const input: StepInput = { ...common, step };
        return context.df.callSubOrchestrator(ORCHESTRATORS.step, input, instanceId);
      },
      finish: (outcome, faulted, startTime) => {
        let result: StepResult;
        if (faulted) {
          result = { status: 'Failed', outputs: {}, error: { code: 'step_orchestration_failed', message: errorMessage(outcome) } };
        } else if (step.kind === 'pipeline') {
          const nested = outcome as GraphResult;
          result = { status: nested.status, outputs: nested.outputs, steps: nested.steps };
        } else {
          result = outcome as StepResult;
        }
        results[step.name] = { ...result, startTime: result.startTime ?? startTime, endTime: result.endTime ?? context.df.currentUtcDateTime.toISOString() };
        return results[step.name]?.status === 'Completed';
      },
    };
  });
}

function chunkUnits(context: OrchestrationContext, g: GraphInput, results: Record<string, StepResult>, self: string): Unit[] {
  return chunkSteps(g.plan.steps, g.settings.chunkSize).map((chunk, index) => {
    const instanceId = chunkInstanceId(g.runId, g.prefix, index);
    const stepNames = new Set(chunk.steps.map((s) => s.name));
    return {
      key: chunk.id,
      dependsOn: chunk.steps.flatMap((s) => s.dependsOn.filter((d) => !stepNames.has(d))),
      instanceId,
      start: (known) => {
        const external: Record<string, StepResult> = {};
        for (const step of chunk.steps) for (const dep of step.dependsOn) if (!stepNames.has(dep) && known[dep]) external[dep] = known[dep];
        const input: GraphInput = { ...g, parent: { instanceId: self, key: chunk.id }, graphPath: `${g.prefix}~${chunk.id}`, plan: { outputs: g.plan.outputs, steps: chunk.steps }, external };
        return context.df.callSubOrchestrator(ORCHESTRATORS.graph, input, instanceId);
      },
      finish: (outcome, faulted) => {
        if (faulted) {
          for (const step of chunk.steps) results[step.name] ??= { status: 'Failed', outputs: {}, error: { code: 'chunk_failed', message: errorMessage(outcome) } };
          return false;
        }
        const nested = outcome as GraphResult;
        Object.assign(results, nested.steps);
        return nested.status === 'Completed';
      },
    };
  });
}

function nestedInputs(step: PlannedStep & { kind: 'pipeline' }, g: GraphInput, known: Record<string, StepResult>): GraphInput['inputs'] {
  const bound = bindStepInputs(step, g.inputs, known, g.sources);
  const inputs: GraphInput['inputs'] = {};
  for (const [name, value] of Object.entries(bound)) {
    inputs[name] = value.kind === 'data' ? { kind: 'data', type: value.type, uri: value.uri } : value;
  }
  for (const [name, decl] of Object.entries(step.pipeline.inputs)) {
    if (inputs[name] !== undefined && inputs[name].kind !== 'none') continue;
    if (decl.default !== undefined) inputs[name] = { kind: 'literal', value: decl.default };
  }
  return inputs;
}

function skipped(context: OrchestrationContext, reason: string): StepResult {
  const now = context.df.currentUtcDateTime.toISOString();
  return { status: 'Skipped', outputs: {}, startTime: now, endTime: now, error: { code: 'skipped', message: reason } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
