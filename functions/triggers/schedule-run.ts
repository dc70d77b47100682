/**
 * Starts the job a schedule creates (`create_job`): the plan from the schedule's stored bundle
 * (a local job file) or from a published pipeline (`azureml:NAME[:VERSION]`), its inputs resolved
 * for this firing (resolveScheduleInputs), and startRun with a derived run id, so starting the
 * same firing twice returns the first run.
 */
import type { DurableClient } from 'durable-functions';
import { uploadBundleSources } from '../../shared/api/bundle-sources';
import { PipelinesStore } from '../../shared/api/pipelines-store';
import type { StoredSchedule } from '../../shared/api/schedules-store';
import type { Services } from '../../shared/config/services';
import { datastoreUri } from '../../shared/datastore/types';
import { NotFoundError } from '../../shared/errors';
import { startRun } from '../../shared/run';
import type { RunObject, RunTrigger } from '../../shared/run/types';
import type { PipelineBundle } from '../../shared/spec/bundle';
import type { PipelinePlan } from '../../shared/spec/plan';
import type { Schedule } from '../../shared/spec/schedule';
import { resolveScheduleInputs, type ResolvedScheduleInput, type ScheduleInputContext } from '../../shared/spec/schedule-inputs';
import { planFromBundle } from '../http/run-start';

export interface ScheduleRunRequest {
  runId: string;
  trigger: RunTrigger;
  context: ScheduleInputContext;
}

export type StartScheduleRun = (schedule: StoredSchedule<Schedule>, request: ScheduleRunRequest) => Promise<RunObject>;

async function bundleOf(stored: StoredSchedule<Schedule>, services: Services): Promise<{ bundle: PipelineBundle; name?: string; version?: string }> {
  const job = stored.definition.createJob.job;
  if (job.kind === 'file') return { bundle: stored.bundle as PipelineBundle };
  const published = await new PipelinesStore<PipelineBundle>(services.state).get(job.name, job.version ?? job.label);
  if (!published) throw new NotFoundError('pipeline_not_found', `schedule '${stored.name}': create_job.job '${job.ref}' is not a published pipeline`, { path: 'create_job.job' });
  return { bundle: published.bundle, name: job.name, version: published.version };
}

/**
 * A list of blobs (a batch window) for a pipeline input: newline-separated URIs for a string
 * input, a manifest file (one URI a line, written next to nothing else) for `uri_file`, and the
 * deepest folder holding every blob for `uri_folder`.
 */
async function bindList(plan: PipelinePlan, name: string, paths: string[], runId: string, services: Pick<Services, 'datastores'>): Promise<string> {
  const type = plan.inputs[name]?.type;
  if (type === 'uri_file') {
    const datastore = services.datastores.get(services.datastores.defaultName);
    const manifest = `amlsched/batches/${runId}/blobs.txt`;
    await datastore.put(manifest, `${paths.join('\n')}\n`, { contentType: 'text/plain' });
    return datastoreUri(datastore.name, manifest);
  }
  if (type === 'uri_folder') return commonFolder(paths);
  return paths.join('\n');
}

function commonFolder(uris: string[]): string {
  const folders = uris.map((u) => u.slice(0, u.lastIndexOf('/') + 1));
  let prefix = folders[0] ?? '';
  for (const f of folders) while (!f.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return prefix;
}

/** Resolved schedule inputs as startRun takes them: literals, data URIs, and lists bound by the input's type. */
export async function pipelineInputs(plan: PipelinePlan, resolved: Record<string, ResolvedScheduleInput>, runId: string, services: Pick<Services, 'datastores'>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resolved)) {
    if (value !== null && typeof value === 'object') {
      if ('paths' in value && Array.isArray(value.paths)) out[name] = await bindList(plan, name, value.paths, runId, services);
      else out[name] = (value as Record<string, unknown>).path;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * `create_job.settings` that change a run rather than the plan's shape: `force_rerun` and
 * `continue_on_step_failure` (compute and datastore defaults are resolved when the plan is built
 * and belong in the job file).
 */
function withScheduleSettings(plan: PipelinePlan, settings: Schedule['createJob']['settings']): PipelinePlan {
  const flag = (name: string): boolean | undefined => (typeof settings[name] === 'boolean' ? (settings[name] as boolean) : undefined);
  const forceRerun = flag('force_rerun');
  const continueOnStepFailure = flag('continue_on_step_failure');
  return {
    ...plan,
    settings: {
      ...plan.settings,
      ...(forceRerun !== undefined ? { forceRerun } : {}),
      ...(continueOnStepFailure !== undefined ? { continueOnStepFailure } : {}),
    },
  };
}

export function createScheduleRunStarter(client: DurableClient, services: Services): StartScheduleRun {
  return async (stored, request) => {
    const schedule = stored.definition;
    const { bundle, name, version } = await bundleOf(stored, services);
    const { plan } = await planFromBundle(bundle, 'schedule.bundle', services);
    const datastore = services.datastores.get(services.datastores.defaultName);
    const sources = await uploadBundleSources(bundle, plan, datastore);
    const resolved = resolveScheduleInputs(schedule, { ...request.context, runId: request.runId });
    return startRun(client, { state: services.state, settings: services.settings.run }, {
      plan: {
        ...withScheduleSettings(plan, schedule.createJob.settings),
        name: name ?? plan.name ?? schedule.name,
        ...(schedule.createJob.displayName ? { displayName: schedule.createJob.displayName } : {}),
      },
      inputs: await pipelineInputs(plan, resolved, request.runId, services),
      trigger: request.trigger,
      runId: request.runId,
      sources,
      ...(version ? { pipelineVersion: version } : {}),
    });
  };
}
