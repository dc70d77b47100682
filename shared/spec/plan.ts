/**
 * The executable plan: what the spec layer produces from Azure ML pipeline/command job YAML and
 * what orchestrators, activities and compute drivers consume. Immutable, plain JSON (it crosses
 * the durable boundary and is stored with runs), with no absolute local paths: local files are
 * paths relative to the plan's source root (the pipeline bundle's root), POSIX separators.
 */

export type DataType = 'uri_file' | 'uri_folder' | 'mltable' | 'custom_model' | 'mlflow_model' | 'triton_model';
export type LiteralType = 'string' | 'integer' | 'number' | 'boolean';
export type PortType = DataType | LiteralType;

/** Azure ML CLI spellings of modes. */
export type InputMode = 'ro_mount' | 'download' | 'direct' | 'eval_mount' | 'eval_download' | 'rw_mount';
export type OutputMode = 'rw_mount' | 'upload' | 'direct';

export type LiteralValue = string | number | boolean;

/** Where a piece of data lives. */
export type DataRef =
  /** `azureml://datastores/D/paths/P` (P without a leading slash; a trailing slash kept for folders). */
  | { kind: 'datastore'; datastore: string; path: string }
  /** `azureml:NAME:VERSION`, `azureml:NAME@latest` (version `latest`). */
  | { kind: 'asset'; name: string; version: string }
  /** A local file or folder, relative to the source root; uploaded by content hash before a run. */
  | { kind: 'local'; path: string }
  /** `https://...`, `wasbs://...`, `abfss://...` and other URLs handed through as they are. */
  | { kind: 'url'; url: string };

/** Source position of a YAML node, for messages. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** Field path, e.g. `jobs.train.inputs.data`. */
  path: string;
}

/** A declared input port of a component or pipeline. */
export interface InputDecl {
  type: PortType;
  optional: boolean;
  default?: LiteralValue;
  /** Default data for data inputs declared with `path:` in the component. */
  defaultData?: DataRef;
  enum?: LiteralValue[];
  min?: number;
  max?: number;
  mode?: InputMode;
  description?: string;
}

export interface OutputDecl {
  type: DataType;
  mode?: OutputMode;
  description?: string;
}

/** How a step input gets its value. */
export type InputBinding =
  | { kind: 'literal'; value: LiteralValue }
  | { kind: 'data'; type: DataType; ref: DataRef; mode?: InputMode }
  /** `${{parent.inputs.X}}`: the enclosing pipeline's input X, resolved when the run starts. */
  | { kind: 'parent_input'; input: string; mode?: InputMode }
  /** `${{parent.jobs.S.outputs.O}}`: output O of sibling step S (this makes a dependency). */
  | { kind: 'step_output'; step: string; output: string; mode?: InputMode }
  /** An optional input left unset. */
  | { kind: 'none' };

export interface PlannedInput {
  /** The declared type (from the component; for steps without a component, from the job). */
  type: PortType;
  optional: boolean;
  binding: InputBinding;
  decl: InputDecl;
}

export interface PlannedOutput {
  type: DataType;
  mode: OutputMode;
  /** Output path template, may hold `${{name}}` (job name) and other AML path macros; else the default path. */
  path?: DataRef;
  /** Register the output as a data asset: `name`, and `version` when given (else a deterministic one per run). */
  register?: { name: string; version?: string };
  /** Pipeline outputs this step output is bound to (`outputs.O: ${{parent.outputs.P}}`). */
  bindsTo: string[];
}

export type EnvironmentRef =
  /** `azureml:NAME:VERSION` or `azureml:NAME@latest`. */
  | { kind: 'registered'; name: string; version: string }
  /** `azureml://registries/R/environments/NAME/versions/V` (or `/labels/latest`). */
  | { kind: 'registry'; uri: string }
  /** Inline `image:` with an optional conda file (relative to the source root) or inline conda text. */
  | {
      kind: 'inline';
      image?: string;
      condaFile?: string;
      conda?: string;
      name?: string;
      version?: string;
      /** `build:` a Docker build context (local folder relative to the source root, or remote) and Dockerfile path in it. */
      build?: { context: DataRef; dockerfilePath?: string };
    }
  | { kind: 'none' };

/** Where a component came from. */
export type ComponentSource =
  | { kind: 'inline' }
  | { kind: 'file'; file: string }
  | { kind: 'registered'; name: string; version: string };

export interface ComponentDef {
  name?: string;
  version?: string;
  displayName?: string;
  type: 'command' | 'parallel' | 'pipeline';
  source: ComponentSource;
  /** Command template with `${{inputs.X}}`, `${{outputs.X}}` and optional `$[[ ... ]]` blocks. */
  command?: string;
  /** Code folder (local, relative to the source root) or a datastore/asset reference. */
  code?: DataRef;
  environment: EnvironmentRef;
  inputs: Record<string, InputDecl>;
  outputs: Record<string, OutputDecl>;
  isDeterministic: boolean;
  /** Canonical JSON of the component definition, for fingerprints. */
  canonical: string;
}

export interface RetrySettings {
  maxRetries: number;
  timeoutSeconds?: number;
}

export type MiniBatchSize = { kind: 'count'; files: number } | { kind: 'bytes'; bytes: number };

export interface ParallelSettings {
  /** Name of the step input that carries the data to cut into mini-batches. */
  inputData: string;
  miniBatchSize: MiniBatchSize;
  /** Failed mini-batches allowed; -1 for any number. */
  errorThreshold: number;
  maxConcurrencyPerInstance: number;
  instanceCount: number;
  retry: RetrySettings;
  task: {
    type: 'run_function';
    code?: DataRef;
    entryScript: string;
    programArguments?: string;
    /** `${{outputs.X}}`: the output that receives the appended rows. */
    appendRowTo?: string;
    environment: EnvironmentRef;
  };
  loggingLevel?: string;
}

interface StepBase {
  /** Step name as in `jobs:`; nested steps keep their own name inside their sub-plan. */
  name: string;
  displayName?: string;
  inputs: Record<string, PlannedInput>;
  outputs: Record<string, PlannedOutput>;
  /** Names of sibling steps this step waits for (from data bindings). */
  dependsOn: string[];
  location: SourceLocation;
}

export interface CommandStep extends StepBase {
  kind: 'command';
  component: ComponentDef;
  /** Compute target name without the `azureml:` prefix (`local` when none is set anywhere). */
  compute: string;
  environmentVariables: Record<string, string>;
  tags: Record<string, string>;
  timeoutSeconds?: number;
  retry?: RetrySettings;
  resources?: { instanceCount?: number; instanceType?: string; shmSize?: string };
  /** `distribution:` (mpi, pytorch, tensorflow, ray) as written, from the job or its component. */
  distribution?: Record<string, LiteralValue>;
}

export interface ParallelStep extends StepBase {
  kind: 'parallel';
  component: ComponentDef;
  compute: string;
  environmentVariables: Record<string, string>;
  tags: Record<string, string>;
  timeoutSeconds?: number;
  parallel: ParallelSettings;
}

/** A nested pipeline component, run as a sub-orchestration. */
export interface PipelineStep extends StepBase {
  kind: 'pipeline';
  pipeline: PipelinePlan;
}

export type PlannedStep = CommandStep | ParallelStep | PipelineStep;

export interface PipelineSettings {
  defaultCompute?: string;
  defaultDatastore: string;
  forceRerun: boolean;
  continueOnStepFailure: boolean;
  defaultEnvironment?: EnvironmentRef;
}

export interface PipelineOutputDecl {
  type: DataType;
  mode?: OutputMode;
  path?: DataRef;
  register?: { name: string; version?: string };
}

export interface PipelinePlan {
  /** `pipeline`, or `command` for a single command job run as a one-step pipeline. */
  sourceKind: 'pipeline' | 'command' | 'pipeline_component';
  /** Entry file, relative to the source root. */
  file: string;
  name?: string;
  displayName?: string;
  description?: string;
  experimentName?: string;
  tags: Record<string, string>;
  inputs: Record<string, InputDecl & { value?: LiteralValue; data?: DataRef }>;
  outputs: Record<string, PipelineOutputDecl>;
  settings: PipelineSettings;
  /** Steps in a topological order (dependencies first, ties in document order). */
  steps: PlannedStep[];
  /** sha256 (hex) of the canonical plan: definitions, components, settings; not source positions. */
  contentHash: string;
  /** Every local file and folder the plan names, relative to the source root (for bundles, uploads). */
  localPaths: string[];
}
