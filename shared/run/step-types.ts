/**
 * Inputs and results of the step orchestrator and its activities. Plain JSON.
 */
import type { CommandStep, DataType, InputMode, LiteralValue, OutputMode, PipelinePlan, PlannedStep } from '../spec/plan';
import type { LocalSource, ResolvedInput, RunSettings, StepResult } from './types';

/** A step input after binding: literal, data (with the upstream step's fingerprint when it is a step output), or none. */
export type StepInputValue =
  | { kind: 'literal'; value: LiteralValue }
  | { kind: 'data'; type: DataType; uri: string; mode?: InputMode; upstreamFingerprint?: string }
  | { kind: 'none' };

export interface OutputRegistration {
  name: string;
  version?: string;
}

/** What the enclosing pipeline says about the run, for every step. */
export interface PipelineContext {
  experimentName: string;
  defaultDatastore: string;
  forceRerun: boolean;
  continueOnStepFailure: boolean;
  /** Stable identity of the pipeline (name or file) for "why not reused" comparisons. */
  pipelineKey: string;
}

/** Where a child reports its result: the parent instance and the child's key there. */
export interface ParentRef {
  instanceId: string;
  key: string;
}

export interface StepInput {
  parent: ParentRef;
  runId: string;
  /** Full step path (`train`, `outer/train`). */
  path: string;
  step: CommandStep;
  inputs: Record<string, StepInputValue>;
  /** Output name → data asset registrations (its own `name`, and bound pipeline outputs with a `name`). */
  registrations: Record<string, OutputRegistration[]>;
  pipeline: PipelineContext;
  sources: Record<string, LocalSource>;
  settings: RunSettings;
  hint?: StepResult & { runId: string };
}

export interface PrepareStepInput extends StepInput {
  attempt: number;
  /** Report a reused result to the parent directly. */
  notify?: ParentRef;
}

export type PrepareStepResult =
  | { kind: 'reused'; result: StepResult }
  | { kind: 'submitted'; jobName: string; status: string; fingerprint: string; reuse: { reused: false; reason: string }; outputs: Record<string, string>; error?: { code: string; message: string } }
  | { kind: 'failed'; error: { code: string; message: string } };

export interface PollJobResult {
  jobName: string;
  status: string;
  error?: { code: string; message: string };
}

export interface CompleteStepInput {
  /** Also report the result to the parent (so completion costs one activity). */
  notify?: ParentRef;
  runId: string;
  path: string;
  jobName: string;
  fingerprint: string;
  reason: string;
  outputs: Record<string, string>;
  outputTypes: Record<string, { type: DataType; mode: OutputMode }>;
  registrations: Record<string, OutputRegistration[]>;
  inputs: Record<string, StepInputValue>;
  pipelineKey: string;
}

export interface RecordRunInput {
  runId: string;
  status: 'Running' | 'Completed' | 'Failed' | 'Canceled';
  time: string;
  steps?: Record<string, StepResult>;
  outputs?: Record<string, string>;
  error?: { code: string; message: string };
}

/** Input of the graph orchestrator: a nested pipeline, or a chunk of a wide DAG. */
export interface GraphInput {
  /** Absent for the run's own graph. */
  parent?: ParentRef;
  runId: string;
  /** Path prefix of this graph's steps (`''` at the top, `outer/` inside a nested pipeline). */
  prefix: string;
  /** Instance-id suffix of this graph (`outer`, `chunk-3`). */
  graphPath: string;
  plan: Pick<PipelinePlan, 'outputs'> & { steps: PlannedStep[] };
  pipeline: PipelineContext;
  inputs: Record<string, ResolvedInput>;
  /** Registrations inherited for this graph's pipeline outputs (nested pipelines). */
  outputRegistrations: Record<string, OutputRegistration[]>;
  /** Results of steps outside this graph that its steps depend on (chunks). */
  external: Record<string, StepResult>;
  sources: Record<string, LocalSource>;
  settings: RunSettings;
  hints?: Record<string, StepResult & { runId: string }>;
}

export interface GraphResult {
  status: 'Completed' | 'Failed' | 'Canceled';
  steps: Record<string, StepResult>;
  /** Pipeline output name → URI of the step output bound to it. */
  outputs: Record<string, string>;
}
