import { AmlSchedError, redactSecrets } from '../../shared/errors';
import type { DurableBackend, InstanceQuery, RuntimeStatus } from '../durable/types';
import { durableClientPayload } from '../durable/client-payload';
import { type HostKeys, keyGrants, SYSTEM_KEY_DURABLE } from '../keys';
import type { Logger } from '../logger';
import { type HostRequest, type HostResponse, jsonResponse, type RouteHandler, textResponse } from '../http/types';
import { statusJson } from './status-json';

/**
 * The Durable HTTP management API, as the extension's HttpApiHandler serves it, on the RPC base
 * (`/durabletask/`, what DurableClient calls; no key, like the extension's local listener, so it
 * relies on the loopback guard) and under `/runtime/webhooks/durabletask/` (the links handed out,
 * which need the `durabletask_extension` system key or the master key, as in Azure).
 */
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask/';

interface LinkContext {
  origin: string;
  taskHub: string;
  systemKey: string | undefined;
}

/** The extension's management links for one instance (the check-status payload). */
function managementUrls(links: LinkContext, instanceId: string): Record<string, string> {
  const templates = durableClientPayload(links.taskHub, { baseUrl: links.origin, systemKey: links.systemKey }).managementUrls;
  const id = encodeURIComponent(instanceId);
  return Object.fromEntries(Object.entries(templates).map(([name, url]) => [name, name === 'id' ? instanceId : url.replace('INSTANCEID', id)]));
}

export interface DurableHttpOptions {
  backend: () => DurableBackend | undefined;
  keys: HostKeys;
  origin: () => string;
  logger: Logger;
}

const RUNNING: ReadonlySet<RuntimeStatus> = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);
const STATUSES: ReadonlySet<string> = new Set(['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Canceled', 'Terminated', 'Suspended']);

function badRequest(message: string): HostResponse {
  return jsonResponse(400, { Message: message });
}

/** Instance ids the extension refuses (DTFx rules). */
function invalidInstanceId(id: string): string | undefined {
  if (id.length === 0 || id.length > 256) return 'Instance ID must be between 1 and 256 characters.';
  if (id.startsWith('@')) return "Instance ID must not start with '@'.";
  if (/[/\\#?]/.test(id) || /\p{Cc}/u.test(id)) return "Instance ID must not contain '/', '\\', '#', '?' or control characters.";
  return undefined;
}

function parseJsonBody(req: HostRequest): { ok: true; value: unknown } | { ok: false } {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function statusList(text: string | null): RuntimeStatus[] | string {
  if (!text) return [];
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => !STATUSES.has(s));
  return bad ? `Unknown runtimeStatus '${bad}'.` : (list as RuntimeStatus[]);
}

function isoParam(url: URL, name: string): string | undefined | Error {
  const value = url.searchParams.get(name);
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? new Error(`${name} is not a date`) : new Date(ms).toISOString();
}

function errorResponse(err: unknown, logger: Logger): HostResponse {
  const code = err instanceof AmlSchedError ? err.code : (err as { code?: unknown } | undefined)?.code;
  const message = redactSecrets(err instanceof Error ? err.message : String(err));
  switch (code) {
    case 'not_found':
      return jsonResponse(404, { Message: message });
    case 'gone':
      return jsonResponse(410, { Message: message });
    case 'not_supported':
    case 'not_implemented':
      return jsonResponse(501, { Message: message });
    case 'instance_exists':
      // DTFx throws OrchestrationAlreadyExistsException, which the extension answers with 500.
      return jsonResponse(500, { Message: message });
    default:
      if (err instanceof AmlSchedError && err.kind === 'user') return badRequest(message);
      logger.error({ error: message }, 'durable management request failed');
      return jsonResponse(500, { Message: message });
  }
}

export function createDurableHttpApi(options: DurableHttpOptions): RouteHandler {
  const { keys, logger } = options;

  return async (req) => {
    const path = req.url.pathname;
    let rest: string;
    if (path.startsWith(RPC_PATH)) {
      rest = path.slice(RPC_PATH.length);
    } else if (path === WEBHOOK_PATH || path.startsWith(`${WEBHOOK_PATH}/`)) {
      const given = req.url.searchParams.get('code') ?? req.headers['x-functions-key'];
      if (!keyGrants(keys, 'system', given, SYSTEM_KEY_DURABLE)) return textResponse(401, 'Unauthorized.');
      rest = path.slice(WEBHOOK_PATH.length + 1);
    } else {
      return undefined;
    }
    const backend = options.backend();
    if (!backend) return textResponse(503, 'The durable backend is not running yet.');
    const links: LinkContext = { origin: options.origin(), taskHub: backend.taskHub, systemKey: keys.systemKeys[SYSTEM_KEY_DURABLE] };
    let segments: string[];
    try {
      segments = rest.split('/').map(decodeURIComponent);
    } catch {
      return badRequest('Malformed URL.');
    }
    if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
    try {
      return await route(req, segments, backend, links);
    } catch (err) {
      return errorResponse(err, logger);
    }
  };
}

async function route(req: HostRequest, seg: string[], backend: DurableBackend, links: LinkContext): Promise<HostResponse> {
  const [head, id, action, arg] = seg;
  const method = req.method;
  const url = req.url;

  if (head === 'orchestrators' && method === 'POST' && id && seg.length <= 3) {
    const instanceId = seg[2];
    if (instanceId !== undefined) {
      const invalid = invalidInstanceId(instanceId);
      if (invalid) return badRequest(invalid);
    }
    const body = parseJsonBody(req);
    if (!body.ok) return badRequest('The request body is not valid JSON.');
    const version = url.searchParams.get('version') ?? undefined;
    const newId = await backend.startNew(id, { instanceId, input: body.value, version });
    return checkStatusResponse(links, newId);
  }

  if (head === 'instances' && id === undefined) {
    if (method === 'GET') return listInstances(req, backend);
    if (method === 'DELETE') return purgeMany(url, backend);
  }

  if (head === 'instances' && id !== undefined) {
    if (seg.length === 2 && method === 'GET') return getInstance(url, id, backend, links);
    if (seg.length === 2 && method === 'DELETE') {
      const deleted = await backend.purge(id);
      return deleted === 0 ? jsonResponse(404, { Message: `No instance with ID '${id}' found.` }) : jsonResponse(200, { instancesDeleted: deleted });
    }
    if (method === 'POST' && action === 'raiseEvent' && arg !== undefined && seg.length === 4) {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (req.body.length > 0 && !type.includes('json')) return badRequest('Only application/json request content is supported.');
      const body = parseJsonBody(req);
      if (!body.ok) return badRequest('The request body is not valid JSON.');
      await backend.raiseEvent(id, arg, body.value ?? null);
      return { status: 202 };
    }
    if (method === 'POST' && seg.length === 3) {
      const reason = url.searchParams.get('reason') ?? '';
      switch (action) {
        case 'terminate':
          await backend.terminate(id, reason);
          return { status: 202 };
        case 'suspend':
          await backend.suspend(id, reason);
          return { status: 202 };
        case 'resume':
          await backend.resume(id, reason);
          return { status: 202 };
        case 'rewind':
          await backend.rewind(id, reason);
          return { status: 202 };
        case 'restart':
          return restart(url, id, backend, links);
      }
    }
  }

  if (head === 'entities') return jsonResponse(501, { Message: 'Durable entities are not supported by the local host.' });
  return jsonResponse(404, { Message: 'No such Durable HTTP API route.' });
}

function checkStatusResponse(links: LinkContext, instanceId: string): HostResponse {
  const payload = managementUrls(links, instanceId);
  return jsonResponse(202, payload, { location: payload.statusQueryGetUri as string, 'retry-after': '10' });
}

function flag(url: URL, name: string, fallback: boolean): boolean {
  const value = url.searchParams.get(name);
  return value === null ? fallback : value.toLowerCase() === 'true';
}

async function getInstance(url: URL, id: string, backend: DurableBackend, links: LinkContext): Promise<HostResponse> {
  const showInput = flag(url, 'showInput', true);
  const status = await backend.getStatus(id, {
    showHistory: flag(url, 'showHistory', false),
    showHistoryOutput: flag(url, 'showHistoryOutput', false),
    showInput,
  });
  if (!status) return jsonResponse(404, { Message: `No instance with ID '${id}' found.` });
  const body = statusJson(status, showInput);
  if (RUNNING.has(status.runtimeStatus)) {
    return jsonResponse(202, body, { location: managementUrls(links, id).statusQueryGetUri as string, 'retry-after': '5' });
  }
  if (status.runtimeStatus === 'Failed' && flag(url, 'returnInternalServerErrorOnFailure', false)) return jsonResponse(500, body);
  return jsonResponse(200, body);
}

async function listInstances(req: HostRequest, backend: DurableBackend): Promise<HostResponse> {
  const url = req.url;
  const statuses = statusList(url.searchParams.get('runtimeStatus'));
  if (typeof statuses === 'string') return badRequest(statuses);
  const from = isoParam(url, 'createdTimeFrom');
  const to = isoParam(url, 'createdTimeTo');
  if (from instanceof Error || to instanceof Error) return badRequest((from instanceof Error ? from : (to as Error)).message);
  const top = url.searchParams.get('top');
  if (top !== null && !/^\d+$/.test(top)) return badRequest('top must be a positive integer.');
  const showInput = flag(url, 'showInput', true);
  const query: InstanceQuery = {
    ...(from ? { createdTimeFrom: from } : {}),
    ...(to ? { createdTimeTo: to } : {}),
    ...(statuses.length ? { runtimeStatus: statuses } : {}),
    ...(url.searchParams.get('instanceIdPrefix') ? { instanceIdPrefix: url.searchParams.get('instanceIdPrefix') as string } : {}),
    ...(top ? { top: Number(top) } : {}),
    ...(req.headers['x-ms-continuation-token'] ? { continuationToken: req.headers['x-ms-continuation-token'] } : {}),
    showInput,
  };
  const page = await backend.query(query);
  const headers: Record<string, string> = page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {};
  return jsonResponse(200, page.instances.map((s) => statusJson(s, showInput)), headers);
}

async function purgeMany(url: URL, backend: DurableBackend): Promise<HostResponse> {
  const from = isoParam(url, 'createdTimeFrom');
  const to = isoParam(url, 'createdTimeTo');
  if (!from) return badRequest('createdTimeFrom is required to purge instances.');
  if (from instanceof Error || to instanceof Error) return badRequest((from instanceof Error ? from : (to as Error)).message);
  const statuses = statusList(url.searchParams.get('runtimeStatus'));
  if (typeof statuses === 'string') return badRequest(statuses);
  const deleted = await backend.purgeBy({ createdTimeFrom: from, ...(to ? { createdTimeTo: to } : {}), ...(statuses.length ? { runtimeStatus: statuses } : {}) });
  return deleted === 0 ? jsonResponse(404, { Message: 'No instances matched.' }) : jsonResponse(200, { instancesDeleted: deleted });
}

/** Starts the same orchestration again with its input: under a new id by default, or the same id. */
async function restart(url: URL, id: string, backend: DurableBackend, links: LinkContext): Promise<HostResponse> {
  const status = await backend.getStatus(id, { showInput: true });
  if (!status) return jsonResponse(404, { Message: `No instance with ID '${id}' found.` });
  const sameId = url.searchParams.get('restartWithNewInstanceId')?.toLowerCase() === 'false';
  const newId = await backend.startNew(status.name, { ...(sameId ? { instanceId: id } : {}), input: status.input ?? undefined });
  return checkStatusResponse(links, newId);
}
