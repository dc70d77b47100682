/** Status URLs of a run, on the origin the caller used. */
import type { HttpRequest } from '@azure/functions';
import type { RunStarted } from '../../shared/api/contracts';
import { json } from '../../shared/api/respond';
import type { RunObject } from '../../shared/run/types';

export function runLinks(request: HttpRequest, runId: string): RunStarted['links'] {
  const base = `${new URL(request.url).origin}/api/runs/${encodeURIComponent(runId)}`;
  return { status: base, cancel: `${base}/cancel`, rerun: `${base}/rerun` };
}

/** 202 with Location for a run this request started, 200 for one it found (repeated Idempotency-Key). */
export function runStartedResponse(request: HttpRequest, run: RunObject, created: boolean) {
  const links = runLinks(request, run.runId);
  const body: RunStarted = { runId: run.runId, run, links };
  return json(created ? 202 : 200, body, { location: links.status });
}
