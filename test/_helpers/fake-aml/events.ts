/**
 * Makes the fake Azure ML workspace "run" its jobs as Azure does and tell the app through Event
 * Grid: every created job moves NotStarted → Queued → Running → Finalizing → Completed (or to the
 * outcome a test asks for), one step per `stepMs`; each change is delivered as
 * `Microsoft.MachineLearningServices.RunStatusChanged` and success also as `RunCompleted`, in the
 * Event Grid schema, POSTed to the Functions Event Grid webhook with `aeg-event-type: Notification`
 * and retried on a non-2xx answer, as Event Grid does. A job whose datastore inputs are missing
 * fails, as on Azure; a successful job writes its outputs (a file at a uri_file output, a
 * `part-0` blob under a folder output) into the workspace storage before it reports Completed.
 *
 * Event data casing: camelCase (`experimentId`, `runId`, `runTags`, `runStatus`, ...) as in the
 * published Event Grid specification examples (rest-api-specs `Microsoft.MachineLearningServices`
 * `run_completed.json`/`run_status_changed.json`) and `@azure/eventgrid`'s types, with statuses
 * spelled as the REST API spells them. `casing: 'pascal'` sends the Learn page's PascalCase keys
 * and lowercase statuses instead (protocols.md §3.3), so both shapes can be tested. Every event is
 * checked with `@azure/eventgrid`'s strict deserializer before it is sent.
 */
import { createHash } from 'node:crypto';
import { EventGridDeserializer, isSystemEvent, type MachineLearningServicesRunStatusChangedEventData } from '@azure/eventgrid';
import { parseDatastoreUri, type DatastoreRegistry } from '../../../shared/datastore/types';
import type { FakeAml } from './server';

type Json = Record<string, unknown>;
export type JobOutcome = 'Completed' | 'Failed' | 'Canceled';

export interface JobRunnerOptions {
  /** The webhook URL with function name and system key, e.g. `${host}/runtime/webhooks/eventgrid?functionName=amlJobEvents&code=...`. */
  webhook: string;
  /** The workspace storage the jobs read inputs from and write outputs to. */
  datastores: DatastoreRegistry;
  /** Milliseconds between status changes (default 40). */
  stepMs?: number;
  /** How a job ends (default Completed); a test fails a step with 'Failed'. */
  outcome?: (jobName: string, job: Json) => JobOutcome;
  /** While true for a job, it stays Running (a long job, for cancel tests). */
  hold?: (jobName: string) => boolean;
  /** Which event types the subscription delivers (default both). */
  eventTypes?: ('RunStatusChanged' | 'RunCompleted')[];
  casing?: 'camel' | 'pascal';
}

export interface DeliveredEvent {
  jobName: string;
  eventType: string;
  status: string;
  /** HTTP status of each delivery attempt. */
  attempts: number[];
  event: Json;
}

const STEPS = ['Queued', 'Running', 'Finalizing'] as const;
const PREFIX = 'Microsoft.MachineLearningServices.';

export class FakeAmlJobRunner {
  readonly delivered: DeliveredEvent[] = [];
  /** Problems found while running jobs (bad events, failed deliveries), for assertions. */
  readonly problems: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private eventCount = 0;

  constructor(private readonly fake: FakeAml, private readonly options: JobRunnerOptions) {
    fake.onJobCreated = (name) => {
      const run = this.run(name).catch((err: Error) => { this.problems.push(`${name}: ${err.message}`); });
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    };
  }

  /** Stops moving jobs and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.fake.onJobCreated = undefined;
    await Promise.all([...this.running]);
  }

  private async run(name: string): Promise<void> {
    const job = this.fake.jobs.get(name);
    if (!job) throw new Error('created job not found');
    const missing = await this.missingInputs(job);
    for (const status of STEPS) {
      await this.pause();
      if (this.stopped) return;
      if (await this.followCancel(name)) return;
      if (status === 'Running' && missing.length > 0) return this.finish(name, 'Failed');
      await this.move(name, status);
      while (status === 'Running' && this.options.hold?.(name) && !this.stopped) {
        await this.pause();
        if (await this.followCancel(name)) return;
      }
    }
    await this.pause();
    if (this.stopped || (await this.followCancel(name))) return;
    const outcome = this.options.outcome?.(name, job) ?? 'Completed';
    if (outcome === 'Completed') await this.writeOutputs(name, job);
    await this.finish(name, outcome);
  }

  private async finish(name: string, outcome: JobOutcome): Promise<void> {
    await this.move(name, outcome);
    if (outcome === 'Completed') await this.deliver(name, 'RunCompleted', outcome);
  }

  private async move(name: string, status: string): Promise<void> {
    this.fake.setJobStatus(name, status);
    await this.deliver(name, 'RunStatusChanged', status);
  }

  /** A cancel requested through the API: wait for the fake to finish it, then report Canceled. */
  private async followCancel(name: string): Promise<boolean> {
    if (!/^Cancel/.test(this.status(name))) return false;
    while (this.status(name) !== 'Canceled' && !this.stopped) await this.pause();
    if (!this.stopped) await this.deliver(name, 'RunStatusChanged', 'Canceled');
    return true;
  }

  private status(name: string): string {
    return String((this.fake.jobs.get(name)?.properties as Json | undefined)?.status ?? '');
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.options.stepMs ?? 40));
  }

  private async missingInputs(job: Json): Promise<string[]> {
    const missing: string[] = [];
    for (const [input, value] of Object.entries(((job.properties as Json).inputs ?? {}) as Record<string, Json>)) {
      const ref = typeof value.uri === 'string' ? parseDatastoreUri(value.uri) : undefined;
      if (!ref) continue;
      const store = this.options.datastores.get(ref.datastore);
      const found = (!ref.path.endsWith('/') && (await store.stat(ref.path))) || (await first(store.list(ref.path.replace(/\/?$/, '/'))));
      if (!found) missing.push(input);
    }
    return missing;
  }

  private async writeOutputs(name: string, job: Json): Promise<void> {
    for (const [output, value] of Object.entries(((job.properties as Json).outputs ?? {}) as Record<string, Json>)) {
      const ref = typeof value.uri === 'string' ? parseDatastoreUri(value.uri) : undefined;
      if (!ref) continue;
      const file = value.jobOutputType === 'uri_file' ? ref.path : `${ref.path.replace(/\/?$/, '/')}part-0`;
      await this.options.datastores.get(ref.datastore).put(file, `${name}/${output}\n`);
    }
  }

  private async deliver(name: string, kind: 'RunStatusChanged' | 'RunCompleted', status: string): Promise<void> {
    if (!(this.options.eventTypes ?? ['RunStatusChanged', 'RunCompleted']).includes(kind)) return;
    const event = this.event(name, kind, status);
    const body = JSON.stringify([event]);
    const checked = await new EventGridDeserializer().deserializeEventGridEvents(body);
    if (!checked[0] || !isSystemEvent(`${PREFIX}${kind}` as 'Microsoft.MachineLearningServices.RunCompleted', checked[0])) this.problems.push(`${name}: event is not a ${kind} system event`);
    const record: DeliveredEvent = { jobName: name, eventType: `${PREFIX}${kind}`, status, attempts: [], event };
    this.delivered.push(record);
    for (let attempt = 1; attempt <= 5 && !this.stopped; attempt++) {
      const res = await fetch(this.options.webhook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'aeg-event-type': 'Notification',
          'aeg-subscription-name': 'AMLJOBEVENTS',
          'aeg-delivery-count': String(attempt - 1),
          'aeg-data-version': '',
          'aeg-metadata-version': '1',
        },
        body,
      });
      await res.arrayBuffer();
      record.attempts.push(res.status);
      if (res.status < 300) return;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
    this.problems.push(`${name}: ${kind} ${status} not accepted (${record.attempts.join(', ')})`);
  }

  private event(name: string, kind: string, status: string): Json {
    const props = this.fake.jobs.get(name)?.properties as Json;
    const experimentName = String(props.experimentName ?? 'Default');
    const experimentId = uuidFrom(`${this.fake.workspaceId}/${experimentName}`);
    // The SDK's model of the event data (keys checked at compile time); runType is null as in the spec's examples.
    const data: Omit<MachineLearningServicesRunStatusChangedEventData, 'runType' | 'runStatus'> & { runType: string | null; runStatus?: string } = {
      experimentId,
      experimentName,
      runId: name,
      runType: null,
      runTags: { ...(props.tags as Json | undefined) },
      runProperties: { ...(props.properties as Json | undefined) },
    };
    if (kind === 'RunStatusChanged') data.runStatus = status;
    const pascal = this.options.casing === 'pascal';
    if (pascal && typeof data.runStatus === 'string') data.runStatus = data.runStatus.toLowerCase();
    this.eventCount += 1;
    return {
      id: uuidFrom(`${name}/${kind}/${status}/${this.eventCount}`),
      topic: this.fake.workspaceId,
      subject: `experiments/${experimentId}/runs/${name}`,
      eventType: `${PREFIX}${kind}`,
      eventTime: new Date().toISOString(),
      data: pascal ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v])) : data,
      dataVersion: '',
      metadataVersion: '1',
    };
  }
}

async function first<T>(items: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}

/** A stable UUID-shaped id (Event Grid ids and experiment ids are GUIDs). */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
