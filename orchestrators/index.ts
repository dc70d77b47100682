/** Orchestrator functions by registered (versioned) name. */
import type { OrchestrationHandler } from 'durable-functions';
import { parallelChunkOrchestrator } from './parallel-chunk';
import { parallelStepOrchestrator } from './parallel-step';
import { graphOrchestrator, runOrchestrator } from './run';
import { stepOrchestrator } from './step';

export const orchestrators: Record<string, OrchestrationHandler> = {
  pipelineRun_v1: runOrchestrator,
  pipelineGraph_v1: graphOrchestrator,
  pipelineStep_v1: stepOrchestrator,
  parallelStep_v1: parallelStepOrchestrator,
  parallelChunk_v1: parallelChunkOrchestrator,
};
