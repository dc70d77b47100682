/**
 * Runs: `GET /api/runs`, `GET /api/runs/{id}`, `POST /api/runs/{id}/cancel`,
 * `POST /api/runs/{id}/rerun`, `GET /api/runs/{id}/steps/{step}/logs`.
 */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { parseWith, queryObject } from '../../shared/api/body';
import type { ListPage } from '../../shared/api/contracts';
import { idempotencyKeyOf } from '../../shared/api/idempotency';
import { apiHandler, json } from '../../shared/api/respond';
import { AmlSchedError, NotFoundError } from '../../shared/errors';
import { RunCatalog, cancelRun, deriveRunId, getRun, rerunRun, toRunObject } from '../../shared/run';
import type { RunObject, RunStatus } from '../../shared/run/types';
import { runStartedResponse } from './links';
import { getServices } from '../../shared/config/services';

const STATUSES: readonly RunStatus[] = ['NotStarted', 'Running', 'Completed', 'Failed', 'Canceled'];

const listQuery = z.object({
  status: z.string().optional().transform((value, ctx) => {
    if (value === undefined) return undefined;
    const wanted = value.split(',').map((s) => s.trim()).filter(Boolean);
    const statuses = wanted.map((s) => STATUSES.find((known) => known.toLowerCase() === s.toLowerCase()));
    if (statuses.some((s) => s === undefined)) {
      ctx.addIssue({ code: 'custom', message: `expected one or more of ${STATUSES.join(', ')} (comma-separated)` });
      return z.NEVER;
    }
    return statuses as RunStatus[];
  }),
  pipeline: z.string().min(1).optional(),
  top: z.coerce.number().int().min(1).max(1000).optional(),
  continuation: z.string().regex(/^\d+$/, 'expected a continuation token from a previous page').optional(),
});

function runId(request: HttpRequest): string {
  return request.params.id ?? '';
}

async function listRuns(request: HttpRequest): Promise<ReturnType<typeof json>> {
  const query = parseWith(listQuery, queryObject(request.query), 'query');
  const { state } = getServices();
  const page = await new RunCatalog(state).list({
    ...(query.status ? { status: query.status } : {}),
    ...(query.pipeline ? { pipeline: query.pipeline } : {}),
    ...(query.top ? { top: query.top } : {}),
    ...(query.continuation ? { continuationToken: query.continuation } : {}),
  });
  const body: ListPage<RunObject> = { value: page.runs.map((r) => toRunObject(r)), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  return json(200, body);
}

async function showRun(request: HttpRequest, context: InvocationContext) {
  const run = await getRun(df.getClient(context), { state: getServices().state }, runId(request));
  return json(200, run);
}

/** 202 while the cancel is under way; 200 for a run already Canceled; 409 for one that Completed or Failed. */
async function cancel(request: HttpRequest, context: InvocationContext) {
  const { state } = getServices();
  const record = await new RunCatalog(state).require(runId(request));
  if (record.status === 'Completed' || record.status === 'Failed') {
    throw new AmlSchedError('run_finished', `run '${record.runId}' already ended ${record.status}; nothing to cancel`, { kind: 'user' });
  }
  const run = await cancelRun(df.getClient(context), { state }, record.runId);
  return json(record.status === 'Canceled' ? 200 : 202, run);
}

async function rerun(request: HttpRequest, context: InvocationContext) {
  const key = idempotencyKeyOf(request.headers);
  const { state } = getServices();
  const existed = key !== undefined && (await new RunCatalog(state).get(deriveRunId({ type: 'rerun', rerunOf: runId(request) }, key))) !== undefined;
  const run = await rerunRun(df.getClient(context), { state }, runId(request), key ? { idempotencyKey: key } : {});
  return runStartedResponse(request, run, !existed);
}

async function logs(request: HttpRequest, context: InvocationContext) {
  const step = request.params.step ?? '';
  const run = await getRun(df.getClient(context), { state: getServices().state }, runId(request));
  const found = run.steps[step];
  if (!found) throw new NotFoundError('step_not_found', `run '${run.runId}' has no step '${step}' (steps: ${Object.keys(run.steps).join(', ') || 'none'})`, { path: 'step' });
  if (!found.jobName) throw new NotFoundError('logs_not_found', `step '${step}' of run '${run.runId}' has not submitted a job${found.reused ? ' (reused)' : ''}`, { path: 'step' });
  const text = await getServices().compute.logs(found.jobName);
  return { status: 200, body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

const durable = { authLevel: 'function' as const, extraInputs: [df.input.durableClient()] };

app.http('runsList', { ...durable, methods: ['GET'], route: 'runs', handler: apiHandler(listRuns) });
app.http('runsShow', { ...durable, methods: ['GET'], route: 'runs/{id}', handler: apiHandler(showRun) });
app.http('runsCancel', { ...durable, methods: ['POST'], route: 'runs/{id}/cancel', handler: apiHandler(cancel) });
app.http('runsRerun', { ...durable, methods: ['POST'], route: 'runs/{id}/rerun', handler: apiHandler(rerun) });
app.http('runsStepLogs', { ...durable, methods: ['GET'], route: 'runs/{id}/steps/{step}/logs', handler: apiHandler(logs) });
