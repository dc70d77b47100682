/**
 * The compute port: submit a planned step as an Azure ML job, follow it, cancel it.
 * Drivers: `azureml` (the workspace REST API through @azure/arm-machinelearning) and `local`
 * (the local host's subprocess runner). Chosen by AMLSCHED_COMPUTE.
 */
import type { DataType, EnvironmentRef, InputMode, LiteralValue, OutputMode } from '../spec/plan';

/** Azure ML job statuses (KnownJobStatus). */
export type JobStatus =
  | 'NotStarted' | 'Starting' | 'Provisioning' | 'Preparing' | 'Queued' | 'Running' | 'Finalizing'
  | 'CancelRequested' | 'Completed' | 'Failed' | 'Canceled' | 'NotResponding' | 'Paused' | 'Unknown';

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Canceled'];

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

/** Tags every job carries so events and adoption can find their orchestration. */
export const JOB_TAGS = {
  runId: 'amlsched.runId',
  step: 'amlsched.step',
  instanceId: 'amlsched.instanceId',
  attempt: 'amlsched.attempt',
  fingerprint: 'amlsched.fingerprint',
} as const;

export type JobInput =
  | { kind: 'literal'; value: LiteralValue }
  /** `uri` is an `azureml://datastores/D/paths/P` or `azureml:NAME:VERSION` reference, never a local URL. */
  | { kind: 'data'; type: DataType; uri: string; mode: InputMode };

export interface JobOutput {
  type: DataType;
  mode: OutputMode;
  /** `azureml://datastores/D/paths/P` where the output is written. */
  uri: string;
  /** Register the output as this data asset version when the job completes (Azure ML assetName/assetVersion). */
  register?: { name: string; version: string };
}

/** Everything needed to run one step attempt, with every reference already resolved. */
export interface JobSpec {
  /** Derived from run id, step and attempt; `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`. */
  name: string;
  displayName?: string;
  experimentName: string;
  /** Command template: `${{inputs.X}}`, `${{outputs.X}}`; optional `$[[...]]` blocks already resolved. */
  command: string;
  /** Code snapshot: `azureml://datastores/D/paths/P/` holding the code folder, or a code asset id. */
  code?: string;
  environment: EnvironmentRef;
  /** Compute target name (no `azureml:` prefix). */
  compute: string;
  inputs: Record<string, JobInput>;
  outputs: Record<string, JobOutput>;
  environmentVariables: Record<string, string>;
  timeoutSeconds?: number;
  instanceCount?: number;
  instanceType?: string;
  /** Includes every JOB_TAGS key. */
  tags: Record<string, string>;
}

export interface JobState {
  name: string;
  status: JobStatus;
  tags: Record<string, string>;
  createdTime?: string;
  startTime?: string;
  endTime?: string;
  /** For Failed/Canceled: why, as the service says it. */
  error?: { code: string; message: string };
  /** Where each output was written (`azureml://` URIs). */
  outputs: Record<string, string>;
}

export interface SubmitResult {
  job: JobState;
  /** False when a job with this name already existed with matching tags and was adopted. */
  created: boolean;
}

export interface ComputeBackend {
  readonly kind: 'azureml' | 'local';
  /** Create-or-get: a repeated submission adopts the existing job (tags must match) instead of starting another. */
  submit(spec: JobSpec): Promise<SubmitResult>;
  get(name: string): Promise<JobState>;
  /** Requests cancellation and waits until the service accepts it; a finished job is left as it is. */
  cancel(name: string): Promise<void>;
  /** The job's captured stdout/stderr (user logs), if the backend keeps them. */
  logs(name: string): Promise<string>;
}
