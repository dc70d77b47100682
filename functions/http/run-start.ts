/**
 * Starting a run from a pipeline bundle, for `POST /api/runs` and `POST /api/pipelines/{name}/runs`:
 * load the plan from the bundle, check the inputs, find the run of a repeated Idempotency-Key,
 * upload the bundle's local files, start. Every check runs before anything is written, so a bad
 * request changes nothing. Accepted requests go into the trigger ledger (source `http`, the
 * Idempotency-Key or else the run id as event id): started, deduplicated or failed.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { underField } from '../../shared/api/body';
import { uploadBundleSources, plannedSources } from '../../shared/api/bundle-sources';
import { idempotencyKeyOf } from '../../shared/api/idempotency';
import { getServices, type Services } from '../../shared/config/services';
import { toSerializedError } from '../../shared/errors';
import { RunCatalog, deriveRunId, getRun, readProgress, resolvePipelineInputs, startRun } from '../../shared/run';
import type { RunTrigger } from '../../shared/run/types';
import { openBundle, parseBundle, type PipelineBundle } from '../../shared/spec/bundle';
import { loadPlanFromSource } from '../../shared/spec/load';
import type { PipelinePlan } from '../../shared/spec/plan';
import { problemsToError } from '../../shared/spec/problems';
import { LedgerStore } from '../../shared/triggers/ledger-store';
import { runStartedResponse } from './links';

/** Inputs as JSON scalars (strings are converted to the declared type, as `--set` sends them). */
export const inputsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional();

/** Settings a caller may change per run; the rest shape the plan and belong in the YAML. */
export const runSettingsSchema = z.object({
  force_rerun: z.boolean().optional(),
  continue_on_step_failure: z.boolean().optional(),
}).strict().optional();

export type RunSettingsOverride = z.output<typeof runSettingsSchema>;

export function componentResolver(services: Pick<Services, 'components'>) {
  return { resolve: async (name: string, version: string) => (await services.components.get(name, version))?.spec };
}

/** The plan of a bundle, or a 400 listing every located problem. `field` names the bundle in the request. */
export async function planFromBundle(raw: unknown, field: string, services: Pick<Services, 'components'>): Promise<{ bundle: PipelineBundle; plan: PipelinePlan }> {
  const bundle = await underField(field, () => parseBundle(raw));
  const result = await loadPlanFromSource(openBundle(bundle), bundle.entry, { resolver: componentResolver(services) });
  if (!result.ok) throw problemsToError(result.problems);
  return { bundle, plan: result.plan };
}

function withSettings(plan: PipelinePlan, settings: RunSettingsOverride): PipelinePlan {
  if (!settings) return plan;
  return {
    ...plan,
    settings: {
      ...plan.settings,
      ...(settings.force_rerun !== undefined ? { forceRerun: settings.force_rerun } : {}),
      ...(settings.continue_on_step_failure !== undefined ? { continueOnStepFailure: settings.continue_on_step_failure } : {}),
    },
  };
}

export interface RunRequest {
  bundle: PipelineBundle;
  plan: PipelinePlan;
  inputs?: Record<string, unknown>;
  settings?: RunSettingsOverride;
  pipelineVersion?: string;
}

export async function startFromBundle(request: HttpRequest, context: InvocationContext, run: RunRequest): Promise<HttpResponseInit> {
  const key = idempotencyKeyOf(request.headers);
  const services = getServices();
  const client = df.getClient(context);
  const plan = withSettings(run.plan, run.settings);
  const given = Object.fromEntries(Object.entries(run.inputs ?? {}).filter(([, v]) => v !== null));
  const datastore = services.datastores.get(services.datastores.defaultName);
  await underField('body', () => resolvePipelineInputs(plan, given, plannedSources(plan, datastore.name)));
  const trigger: RunTrigger = { type: 'http' };
  const ledger = new LedgerStore(services.state);
  const receivedTime = new Date().toISOString();
  if (key) {
    const runId = deriveRunId(trigger, key);
    const existing = await new RunCatalog(services.state).get(runId);
    // A start that crashed before its orchestration began falls through and is started again.
    if (existing && (existing.status !== 'NotStarted' || (await readProgress(client, runId)) !== undefined)) {
      await ledger.record({ receivedTime, source: 'http', eventId: key, outcome: 'deduplicated', runId, reason: `Idempotency-Key already started run ${runId}` });
      return runStartedResponse(request, await getRun(client, { state: services.state }, runId), false);
    }
  }
  let started;
  try {
    const sources = await uploadBundleSources(run.bundle, plan, datastore);
    started = await startRun(client, { state: services.state, settings: services.settings.run }, {
      plan,
      inputs: given,
      trigger,
      sources,
      ...(key ? { idempotencyKey: key } : {}),
      ...(run.pipelineVersion ? { pipelineVersion: run.pipelineVersion } : {}),
    });
  } catch (err) {
    const reason = toSerializedError(err);
    await ledger.record({ receivedTime, source: 'http', eventId: key ?? `http:${receivedTime}`, outcome: 'failed', reason: `${reason.message} (${reason.code})` });
    throw err;
  }
  await ledger.record({ receivedTime, source: 'http', eventId: key ?? started.runId, outcome: 'started', runId: started.runId });
  return runStartedResponse(request, started, true);
}
