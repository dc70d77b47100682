/**
 * The runs API (see start.ts for the signatures):
 *   startRun, getRun, cancelRun, rerunRun, RunCatalog, toRunObject, resolvePipelineInputs.
 */
export { startRun, getRun, cancelRun, rerunRun, stepPaths, type RunDeps, type StartRunOptions } from './start';
export { RunCatalog, isFinished, type RunListFilter, type RunPage } from './catalog';
export { toRunObject, flattenSteps } from './run-object';
export { resolvePipelineInputs } from './inputs';
export { deriveRunId } from './run-id';
export { readProgress } from './progress';
export { EVENTS, ORCHESTRATORS } from './names';
export type * from './types';
