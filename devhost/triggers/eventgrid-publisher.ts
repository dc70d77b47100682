import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostRequest, HostResponse } from '../http/types';
import { EVENT_GRID_PATH } from './eventgrid-webhook';

/**
 * In-process Event Grid for the other parts of the host (local Azure ML completion events, the
 * blob watcher). Events are completed as the service would (id, eventTime, topic,
 * `metadataVersion: "1"`, `dataVersion`) and delivered through the same webhook handler as an
 * HTTP delivery, one request per subscription, retried on 5xx like Event Grid (a few times here).
 *
 * Routing: `functionName` delivers to that function; otherwise each subscription whose filters
 * match receives the event. With no subscription registered, every Event Grid function receives
 * every event (as if each had one unfiltered subscription).
 */
export interface EventGridEventInput {
  id?: string;
  topic?: string;
  subject: string;
  eventType: string;
  eventTime?: string;
  data?: unknown;
  dataVersion?: string;
}

export interface CloudEventInput {
  specversion: '1.0';
  id?: string;
  source?: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  data?: unknown;
  [extension: string]: unknown;
}

export interface EventGridSubscription {
  functionName: string;
  /** Subscription name, sent as `aeg-subscription-name`. */
  name?: string;
  includedEventTypes?: string[];
  subjectBeginsWith?: string;
  subjectEndsWith?: string;
}

export interface PublishOptions {
  functionName?: string;
  /** Topic (Event Grid schema) or source (CloudEvents) for events that carry none. */
  topic?: string;
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface DeliveryResult {
  functionName: string;
  status: number;
  attempts: number;
  eventIds: string[];
  error?: string;
}

export const DEFAULT_TOPIC = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/amlsched-local/providers/Microsoft.EventGrid/topics/local';

type AnyEvent = EventGridEventInput | CloudEventInput;
type Completed = Record<string, unknown> & { id: string };

function isCloudEvent(event: AnyEvent): event is CloudEventInput {
  return (event as CloudEventInput).specversion !== undefined;
}

function complete(event: AnyEvent, topic: string): Completed {
  if (isCloudEvent(event)) {
    return { ...event, id: event.id ?? randomUUID(), source: event.source ?? topic, time: event.time ?? new Date().toISOString() };
  }
  return {
    id: event.id ?? randomUUID(),
    topic: event.topic ?? topic,
    subject: event.subject,
    eventType: event.eventType,
    eventTime: event.eventTime ?? new Date().toISOString(),
    data: event.data ?? null,
    dataVersion: event.dataVersion ?? '',
    metadataVersion: '1',
  };
}

function typeOf(event: Completed): string {
  return String(event.eventType ?? event.type ?? '');
}

function matches(sub: EventGridSubscription, event: Completed): boolean {
  const subject = String(event.subject ?? '');
  if (sub.includedEventTypes?.length && !sub.includedEventTypes.some((t) => t.toLowerCase() === typeOf(event).toLowerCase())) return false;
  if (sub.subjectBeginsWith && !subject.toLowerCase().startsWith(sub.subjectBeginsWith.toLowerCase())) return false;
  if (sub.subjectEndsWith && !subject.toLowerCase().endsWith(sub.subjectEndsWith.toLowerCase())) return false;
  return true;
}

export interface EventGridPublisherOptions {
  /** The webhook handler (the same one HTTP deliveries reach). */
  deliver: (req: HostRequest) => Promise<HostResponse>;
  /** The host's base URL, for the request URL the function sees. */
  baseUrl: () => string;
  /** Names of the app's Event Grid functions. */
  eventGridFunctions: () => string[];
}

export class EventGridPublisher {
  readonly #subscriptions = new Set<EventGridSubscription>();
  readonly #options: EventGridPublisherOptions;

  constructor(options: EventGridPublisherOptions) {
    this.#options = options;
  }

  /** Adds a subscription; returns a function that removes it. */
  subscribe(subscription: EventGridSubscription): () => void {
    this.#subscriptions.add(subscription);
    return () => this.#subscriptions.delete(subscription);
  }

  async publish(events: AnyEvent[], options: PublishOptions = {}): Promise<DeliveryResult[]> {
    const completed = events.map((e) => ({ event: complete(e, options.topic ?? DEFAULT_TOPIC), cloud: isCloudEvent(e) }));
    const targets: { sub: EventGridSubscription; items: typeof completed }[] = [];
    if (options.functionName) {
      targets.push({ sub: { functionName: options.functionName }, items: completed });
    } else {
      const subs = this.#subscriptions.size
        ? [...this.#subscriptions]
        : this.#options.eventGridFunctions().map((functionName) => ({ functionName }));
      for (const sub of subs) {
        const items = completed.filter((c) => matches(sub, c.event));
        if (items.length) targets.push({ sub, items });
      }
    }
    const results: DeliveryResult[] = [];
    for (const { sub, items } of targets) {
      // CloudEvents go one per request (structured mode); Event Grid schema events as one array.
      const eventGrid = items.filter((i) => !i.cloud).map((i) => i.event);
      const cloud = items.filter((i) => i.cloud).map((i) => i.event);
      if (eventGrid.length) results.push(await this.#deliver(sub, eventGrid, false, options));
      for (const event of cloud) results.push(await this.#deliver(sub, [event], true, options));
    }
    return results;
  }

  async #deliver(sub: EventGridSubscription, events: Completed[], cloud: boolean, options: PublishOptions): Promise<DeliveryResult> {
    const maxAttempts = options.maxAttempts ?? 3;
    const url = new URL(`${this.#options.baseUrl()}${EVENT_GRID_PATH}`);
    url.searchParams.set('functionName', sub.functionName);
    const body = Buffer.from(JSON.stringify(cloud ? events[0] : events));
    let response: HostResponse = { status: 0 };
    let attempt = 0;
    while (attempt < maxAttempts) {
      attempt++;
      response = await this.#options.deliver({
        method: 'POST',
        url,
        headers: {
          host: url.host,
          'content-type': cloud ? 'application/cloudevents+json; charset=utf-8' : 'application/json',
          'aeg-event-type': 'Notification',
          'aeg-subscription-name': (sub.name ?? `local-${sub.functionName}`).toUpperCase(),
          'aeg-delivery-count': String(attempt - 1),
          'aeg-data-version': String(events[0]?.dataVersion ?? ''),
          'aeg-metadata-version': '1',
        },
        body,
        remoteAddress: undefined,
      });
      if (response.status < 500) break;
      if (attempt < maxAttempts) await sleep((options.retryDelayMs ?? 200) * attempt);
    }
    const ok = response.status >= 200 && response.status < 300;
    return {
      functionName: sub.functionName,
      status: response.status,
      attempts: attempt,
      eventIds: events.map((e) => e.id),
      ...(ok ? {} : { error: response.body === undefined ? `HTTP ${response.status}` : response.body.toString() }),
    };
  }
}
