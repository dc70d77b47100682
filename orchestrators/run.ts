/**
 * The run orchestrator: records the run as Running, walks the pipeline's DAG (walkGraph), and
 * records how it ended with every step's result and the pipeline outputs. Its instance id is
 * the run id; its function name is versioned (ORCHESTRATORS.run) and pinned at start.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITIES } from '../shared/run/names';
import type { GraphInput, GraphResult, PipelineContext, RecordRunInput } from '../shared/run/step-types';
import type { RunInput } from '../shared/run/types';
import { activityRetry } from './activity-retry';
import { walkGraph } from './graph';

export function* runOrchestrator(context: OrchestrationContext): Generator<Task, GraphResult, unknown> {
  const input = context.df.getInput<RunInput>();
  const plan = input.plan;
  const running: RecordRunInput = { runId: input.runId, status: 'Running', time: context.df.currentUtcDateTime.toISOString() };
  yield context.df.callActivityWithRetry(ACTIVITIES.recordRun, activityRetry(), running);

  const pipeline: PipelineContext = {
    experimentName: plan.experimentName ?? plan.name ?? plan.displayName ?? 'amlsched',
    defaultDatastore: plan.settings.defaultDatastore,
    forceRerun: plan.settings.forceRerun,
    continueOnStepFailure: plan.settings.continueOnStepFailure,
    pipelineKey: plan.name ?? plan.file,
  };
  const graph: GraphInput = {
    runId: input.runId,
    prefix: '',
    graphPath: '',
    plan: { outputs: plan.outputs, steps: plan.steps },
    pipeline,
    inputs: input.inputs,
    outputRegistrations: {},
    external: {},
    sources: input.sources,
    settings: input.settings,
    ...(input.reuseHints ? { hints: input.reuseHints } : {}),
  };
  const result = yield* walkGraph(context, graph);

  const failedStep = Object.entries(result.steps).find(([, s]) => s.status === 'Failed');
  const ended: RecordRunInput = {
    runId: input.runId,
    status: result.status,
    time: context.df.currentUtcDateTime.toISOString(),
    steps: result.steps,
    outputs: result.outputs,
    ...(result.status === 'Failed' && failedStep ? { error: { code: 'step_failed', message: `step '${failedStep[0]}' failed: ${failedStep[1].error?.message ?? 'job failed'}` } } : {}),
  };
  yield context.df.callActivityWithRetry(ACTIVITIES.recordRun, activityRetry(), ended);
  return result;
}

/** Nested pipelines and chunks of wide DAGs. */
export function* graphOrchestrator(context: OrchestrationContext): Generator<Task, GraphResult, unknown> {
  const input = context.df.getInput<GraphInput>();
  let result: GraphResult;
  try {
    result = yield* walkGraph(context, input);
  } catch (err) {
    result = { status: 'Failed', steps: {}, outputs: {} };
    context.log(`graph ${context.df.instanceId} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (input.parent) yield context.df.callActivityWithRetry(ACTIVITIES.notifyParent, activityRetry(), { parent: input.parent, result });
  return result;
}
