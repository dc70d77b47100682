/**
 * The `azureml` compute driver: a step attempt becomes an Azure ML command job.
 * Submission is create-or-get by job name: an existing job with the same run, step and attempt
 * tags is adopted (Azure ML refuses a second create under a name it holds); one with other tags
 * is a conflict. A completed job's outputs that ask for registration are registered here.
 */
import type { AzureMlWorkspace } from '../../azure/client';
import { latestVersion } from '../../azure/versions';
import { type AmlSchedError, NotFoundError, ValidationError } from '../../errors';
import type { DataRegistry } from '../../registry/types';
import { type ComputeBackend, type JobInput, type JobSpec, type JobState, JOB_TAGS, isTerminalJobStatus } from '../types';
import { resolveCodeId } from './code';
import { resolveEnvironmentId } from './environment';
import { buildCommandJobBody } from './job-body';
import { registerCompletedOutputs } from './register-outputs';
import { type JobResource, strings, toJobState } from './status';

export interface AzureMlComputeOptions {
  /** Where inline environments' conda files are read from (the plan's source root). */
  sourceRoot?: string;
  /** Registers outputs of completed jobs; without it, JobOutput.register is left to the caller. */
  data?: DataRegistry;
  /** Poll interval of the cancel operation when the service gives no Retry-After. */
  pollIntervalMs?: number;
}

/** Tags that identify a step attempt; a job holding the name must carry the same values. */
const IDENTITY_TAGS = [JOB_TAGS.runId, JOB_TAGS.step, JOB_TAGS.attempt];

export function createAzureMlCompute(ws: AzureMlWorkspace, options: AzureMlComputeOptions = {}): ComputeBackend {
  /** Jobs whose outputs this instance has registered already (registration is idempotent anyway). */
  const registered = new Set<string>();

  const read = async (name: string): Promise<JobResource | undefined> => {
    try {
      return (await ws.rest(`read job '${name}'`, 'GET', `jobs/${encodeURIComponent(name)}`)).body as JobResource;
    } catch (err) {
      if ((err as AmlSchedError).code === 'aml_not_found') return undefined;
      throw err;
    }
  };

  const adopt = (spec: JobSpec, resource: JobResource): JobState => {
    const tags = strings(resource.properties?.tags);
    const differing = IDENTITY_TAGS.filter((tag) => tags[tag] !== spec.tags[tag]);
    if (differing.length > 0) {
      throw new ValidationError('job_name_conflict', `azureml: job name '${spec.name}' is already used by another job (tags ${differing.map((t) => `${t}=${tags[t] ?? '(none)'}`).join(', ')}, expected ${differing.map((t) => `${t}=${spec.tags[t] ?? '(none)'}`).join(', ')})`, { details: { jobName: spec.name } });
    }
    return toJobState(spec.name, resource);
  };

  return {
    kind: 'azureml',

    async submit(spec) {
      const existing = await read(spec.name);
      if (existing) return { job: adopt(spec, existing), created: false };
      const [environmentId, codeId, inputs] = await Promise.all([
        resolveEnvironmentId(ws, spec.environment, options.sourceRoot),
        resolveCodeId(ws, spec.code),
        resolveLatestInputs(ws, spec.inputs),
      ]);
      const body = buildCommandJobBody({ ...spec, inputs }, { environmentId, computeId: computeIdOf(ws, spec.compute), ...(codeId ? { codeId } : {}) });
      try {
        const created = await ws.rest(`create job '${spec.name}'`, 'PUT', `jobs/${encodeURIComponent(spec.name)}`, body);
        return { job: toJobState(spec.name, created.body as JobResource), created: true };
      } catch (err) {
        // Another submitter won the race for the name: adopt its job if it is ours.
        const raced = (err as AmlSchedError).code === 'aml_rejected' ? await read(spec.name) : undefined;
        if (!raced) throw err;
        return { job: adopt(spec, raced), created: false };
      }
    },

    async get(name) {
      const resource = await read(name);
      if (!resource) throw new NotFoundError('job_not_found', `azureml: job '${name}' does not exist in workspace '${ws.workspace}'`);
      const state = toJobState(name, resource);
      if (options.data && state.status === 'Completed' && !registered.has(name)) {
        await registerCompletedOutputs(options.data, resource, state);
        registered.add(name);
      }
      return state;
    },

    async cancel(name) {
      const resource = await read(name);
      if (!resource) throw new NotFoundError('job_not_found', `azureml: job '${name}' does not exist in workspace '${ws.workspace}'`);
      if (isTerminalJobStatus(toJobState(name, resource).status)) return;
      await ws.call(`cancel job '${name}'`, (sdk) => sdk.jobs.beginCancelAndWait(ws.resourceGroup, ws.workspace, name, { updateIntervalInMs: options.pollIntervalMs ?? 5000 }));
    },

    async logs(name) {
      const resource = await read(name);
      if (!resource) throw new NotFoundError('job_not_found', `azureml: job '${name}' does not exist in workspace '${ws.workspace}'`);
      const studio = resource.properties?.services?.Studio?.endpoint ?? studioUrl(ws, name);
      return `The Azure ML management API (2025-12-01) offers no job log download; the job's logs (user_logs/std_log.txt) are in the studio: ${studio}\n`;
    },
  };
}

/** `azureml:NAME@latest` data inputs become `azureml:NAME:VERSION`. */
async function resolveLatestInputs(ws: AzureMlWorkspace, inputs: Record<string, JobInput>): Promise<Record<string, JobInput>> {
  const out: Record<string, JobInput> = {};
  for (const [name, input] of Object.entries(inputs)) {
    const latest = input.kind === 'data' ? /^azureml:([^:@/]+)@latest$/.exec(input.uri) : null;
    if (input.kind !== 'data' || !latest?.[1]) {
      out[name] = input;
      continue;
    }
    const version = await latestVersion(ws, 'data', latest[1]);
    if (version === undefined) throw new NotFoundError('unresolved_reference', `azureml: input '${name}': data asset azureml:${latest[1]}@latest has no versions`);
    out[name] = { ...input, uri: `azureml:${latest[1]}:${version}` };
  }
  return out;
}

/** The compute's ARM id; `serverless` jobs name no compute (Azure ML picks it from `resources`). */
function computeIdOf(ws: AzureMlWorkspace, compute: string): string | undefined {
  if (compute === 'serverless') return undefined;
  return compute.startsWith('/subscriptions/') ? compute : ws.armId(`computes/${compute}`);
}

function studioUrl(ws: AzureMlWorkspace, name: string): string {
  const { subscriptionId, resourceGroup, workspace } = ws.settings;
  return `https://ml.azure.com/runs/${encodeURIComponent(name)}?wsid=/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspace}`;
}
