/**
 * What the plan activity writes next to a parallel step's staging data, and the submit and
 * finish activities read back: the job template (plan.json) and one manifest per chunk with
 * its mini-batches. Only their URIs travel through orchestration histories.
 */
import type { JobInput, JobOutput } from '../compute/types';
import type { EnvironmentRef } from '../spec/plan';

export interface JobTemplate {
  runId: string;
  /** Step path (`score`, `outer/score`). */
  path: string;
  experimentName: string;
  displayName?: string;
  compute: string;
  /** Code snapshot with the entry script's folder and the driver. */
  code: string;
  environment: EnvironmentRef;
  environmentVariables: Record<string, string>;
  tags: Record<string, string>;
  /** Per mini-batch (`retry_settings.timeout`). */
  timeoutSeconds?: number;
  instanceType?: string;
  python: string;
  entryScript: string;
  programArguments?: string;
  /** The step's inputs other than input_data, as every mini-batch job gets them. */
  inputs: Record<string, JobInput>;
  /** Outputs other than the append_row_to one, shared by every mini-batch job (folders). */
  outputs: Record<string, JobOutput>;
  /** Each mini-batch job writes its rows here (`{index}` replaced), when append_row_to is set. */
  rowsUri?: string;
  /** Tabular input: how the mini-batch slices are read. */
  table?: { delimiter: string; header: boolean };
}

export interface ParallelPlan {
  template: JobTemplate;
  total: number;
  perChunk: number;
  /** Manifest of chunk N: this with `{chunk}` replaced. */
  chunkUri: string;
}

export type MiniBatch =
  | { index: number; label: string; files: string[] }
  /** A tabular slice written as its own delimited file. */
  | { index: number; label: string; table: string };

export interface ChunkManifest {
  chunk: number;
  batches: MiniBatch[];
}

export function pad(n: number): string {
  return String(n).padStart(6, '0');
}

export function fillIndex(template: string, key: 'index' | 'chunk', n: number): string {
  return template.replace(`{${key}}`, pad(n));
}
