import { redactSecrets } from '../../shared/errors';
import type { FunctionRegistration, LoadedApp } from '../functions/types';
import { type HostKeys, keyGrants, SYSTEM_KEY_EVENT_GRID } from '../keys';
import type { Logger } from '../logger';
import { type HostRequest, type HostResponse, jsonResponse, textResponse } from '../http/types';

/**
 * The Event Grid extension's webhook, `/runtime/webhooks/eventgrid?functionName=NAME`, with the
 * `aeg-event-type` semantics of the extension's HttpRequestProcessor: SubscriptionValidation →
 * 200 `{validationResponse}`, Notification → one invocation per event (202 when all succeed,
 * 500 otherwise), Unsubscribe → 202, anything else → 400; unknown function → 404. Event Grid
 * schema (array) and CloudEvents (object or batch), plus the CloudEvents OPTIONS handshake.
 *
 * Key: Azure requires the `eventgrid_extension` system key (`code`). Locally a request from a
 * loopback peer (or in-process, from the publisher) may omit it; a key that is given must be
 * right, and a non-loopback peer (host bound elsewhere) must give one.
 */
export const EVENT_GRID_PATH = '/runtime/webhooks/eventgrid';

const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface EventGridWebhookOptions {
  app: LoadedApp;
  keys: HostKeys;
  logger: Logger;
}

type EventObject = Record<string, unknown>;

function authorized(req: HostRequest, keys: HostKeys): boolean {
  const given = req.url.searchParams.get('code') ?? req.headers['x-functions-key'] ?? undefined;
  if (given) return keyGrants(keys, 'system', given, SYSTEM_KEY_EVENT_GRID);
  return req.remoteAddress === undefined || LOOPBACK_PEERS.has(req.remoteAddress);
}

function parseEvents(body: Buffer): EventObject[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e)) ? (list as EventObject[]) : undefined;
}

function validationCode(event: EventObject | undefined): string | undefined {
  if (!event) return undefined;
  let data = event.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (data === undefined && typeof event.data_base64 === 'string') {
    try {
      data = JSON.parse(Buffer.from(event.data_base64, 'base64').toString('utf8'));
    } catch {
      return undefined;
    }
  }
  const code = (data as { validationCode?: unknown } | null | undefined)?.validationCode;
  return typeof code === 'string' ? code : undefined;
}

export function findEventGridFunction(app: LoadedApp, name: string | null): FunctionRegistration | undefined {
  if (!name) return undefined;
  const exact = app.functions.get(name);
  const fn = exact ?? [...app.functions.values()].find((f) => f.name.toLowerCase() === name.toLowerCase());
  return fn?.trigger.type === 'eventGridTrigger' ? fn : undefined;
}

export function createEventGridWebhook(options: EventGridWebhookOptions): (req: HostRequest) => Promise<HostResponse> {
  const { app, keys, logger } = options;
  return async (req) => {
    if (!authorized(req, keys)) return textResponse(401, 'Unauthorized.');
    if (req.method === 'OPTIONS') {
      // CloudEvents abuse protection: allow the requesting origin to deliver.
      const origin = req.headers['webhook-request-origin'];
      if (!origin) return textResponse(400, 'WebHook-Request-Origin header is required.');
      return { status: 200, headers: { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*', allow: 'POST, OPTIONS' } };
    }
    if (req.method !== 'POST') return textResponse(405, 'Only POST and OPTIONS are supported.', { allow: 'POST, OPTIONS' });

    const functionName = req.url.searchParams.get('functionName');
    const fn = findEventGridFunction(app, functionName);
    if (!fn) return textResponse(404, `cannot find function: '${functionName ?? ''}'`);

    const eventType = req.headers['aeg-event-type'];
    if (eventType === 'Unsubscribe') return { status: 202 };
    if (eventType !== 'SubscriptionValidation' && eventType !== 'Notification') {
      return textResponse(400, `aeg-event-type header must be SubscriptionValidation, Notification or Unsubscribe (got '${eventType ?? ''}').`);
    }
    const events = parseEvents(req.body);
    if (!events || events.length === 0) return textResponse(400, 'The body must be an event, or a JSON array of events.');

    if (eventType === 'SubscriptionValidation') {
      const code = validationCode(events[0]);
      if (!code) return textResponse(400, 'The validation event has no data.validationCode.');
      logger.info({ function: fn.name }, 'Event Grid subscription validated');
      return jsonResponse(200, { validationResponse: code });
    }

    let firstError: string | undefined;
    for (const event of events) {
      try {
        await app.invoke({ functionName: fn.name, triggerData: { string: JSON.stringify(event) } });
      } catch (err) {
        const message = redactSecrets(err instanceof Error ? err.message : String(err));
        firstError ??= message;
        logger.error({ function: fn.name, eventId: event.id, error: message }, 'Event Grid function failed');
      }
    }
    return firstError === undefined ? { status: 202 } : textResponse(500, `Exception while executing function: ${fn.name}. ${firstError}`);
  };
}
