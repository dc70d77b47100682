/**
 * A scripted ComputeBackend for orchestration tests: jobs end by a per-step behaviour (succeed,
 * fail, stay running until cancelled), write their outputs into a MemoryDatastore, and publish
 * their status events through a callback (which a test can drop). Counts submits and polls.
 */
import { datastoreUri, parseDatastoreUri } from '../../../shared/datastore/types';
import { JOB_TAGS, type ComputeBackend, type JobSpec, type JobState, type JobStatus, type SubmitResult } from '../../../shared/compute/types';
import { NotFoundError, ServiceError } from '../../../shared/errors';
import type { MemoryDatastore } from '../fake-aml/memory-datastore';

export type JobBehaviour =
  | { outcome: 'Completed'; delayMs?: number; writeOutputs?: boolean }
  | { outcome: 'Failed'; delayMs?: number; error?: { code: string; message: string } }
  | { outcome: 'hang' };

export interface PublishedEvent {
  id: string;
  eventType: string;
  subject: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: string;
  topic: string;
}

export class FakeCompute implements ComputeBackend {
  readonly kind = 'local' as const;
  readonly jobs = new Map<string, { spec: JobSpec; state: JobState }>();
  readonly submits: string[] = [];
  readonly polls: string[] = [];
  readonly cancels: string[] = [];
  /** Most jobs running at once, per compute target. */
  readonly peakRunning = new Map<string, number>();
  /** Step path → behaviour; default: complete after a short delay. */
  behaviours = new Map<string, JobBehaviour | ((attempt: number) => JobBehaviour)>();
  /** Step path → how many submissions fail with a ServiceError (a service hiccup) before one succeeds. */
  submitFailures = new Map<string, number>();
  /** Receives each job status event; tests route them to the Event Grid function (or drop them). */
  publish: (event: PublishedEvent) => Promise<void> = async () => undefined;
  private eventSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly datastore: MemoryDatastore) {}

  async submit(spec: JobSpec): Promise<SubmitResult> {
    const failures = this.submitFailures.get(spec.tags[JOB_TAGS.step] ?? '') ?? 0;
    if (failures > 0) {
      this.submitFailures.set(spec.tags[JOB_TAGS.step] ?? '', failures - 1);
      throw new ServiceError('service_unavailable', 'fake compute: 503 Service Unavailable');
    }
    const existing = this.jobs.get(spec.name);
    if (existing) return { job: existing.state, created: false };
    this.submits.push(spec.name);
    const outputs = Object.fromEntries(Object.entries(spec.outputs).map(([k, o]) => [k, o.uri]));
    const state: JobState = { name: spec.name, status: 'Queued', tags: spec.tags, createdTime: new Date().toISOString(), outputs };
    this.jobs.set(spec.name, { spec, state });
    const running = [...this.jobs.values()].filter((j) => j.spec.compute === spec.compute && !['Completed', 'Failed', 'Canceled'].includes(j.state.status)).length;
    this.peakRunning.set(spec.compute, Math.max(this.peakRunning.get(spec.compute) ?? 0, running));
    const step = spec.tags[JOB_TAGS.step] ?? '';
    const configured = this.behaviours.get(step);
    const behaviour = typeof configured === 'function' ? configured(Number(spec.tags[JOB_TAGS.attempt] ?? 0)) : configured ?? { outcome: 'Completed' };
    if (behaviour.outcome !== 'hang') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const finishing = this.finish(spec, behaviour).finally(() => this.inFlight.delete(finishing));
        this.inFlight.add(finishing);
      }, behaviour.delayMs ?? 5);
      this.timers.add(timer);
    } else {
      state.status = 'Running';
    }
    return { job: { ...state }, created: true };
  }

  async get(name: string): Promise<JobState> {
    this.polls.push(name);
    const job = this.jobs.get(name);
    if (!job) throw new NotFoundError('job_not_found', `job ${name} not found`);
    return { ...job.state };
  }

  async cancel(name: string): Promise<void> {
    this.cancels.push(name);
    const job = this.jobs.get(name);
    if (!job) throw new NotFoundError('job_not_found', `job ${name} not found`);
    if (['Completed', 'Failed', 'Canceled'].includes(job.state.status)) return;
    await this.setStatus(job.spec, 'Canceled');
  }

  async logs(name: string): Promise<string> {
    return `logs of ${name}\n`;
  }

  /** Jobs not in a final status. */
  running(): string[] {
    return [...this.jobs.values()].filter((j) => !['Completed', 'Failed', 'Canceled'].includes(j.state.status)).map((j) => j.spec.name);
  }

  /** Stops pending jobs and waits for the status events already being delivered. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private async finish(spec: JobSpec, behaviour: Exclude<JobBehaviour, { outcome: 'hang' }>): Promise<void> {
    const job = this.jobs.get(spec.name);
    if (!job || job.state.status === 'Canceled') return;
    await this.setStatus(spec, 'Running');
    if (behaviour.outcome === 'Completed') {
      if (behaviour.writeOutputs !== false) {
        for (const out of Object.values(spec.outputs)) {
          const ref = parseDatastoreUri(out.uri);
          if (!ref) continue;
          const file = ref.path.endsWith('/') ? `${ref.path}out.txt` : ref.path;
          await this.datastore.put(file, `${spec.name}\n`);
        }
      }
      await this.setStatus(spec, 'Completed');
    } else {
      job.state.error = behaviour.error ?? { code: 'SystemError', message: `job ${spec.name} failed` };
      await this.setStatus(spec, 'Failed');
    }
  }

  private async setStatus(spec: JobSpec, status: JobStatus): Promise<void> {
    const job = this.jobs.get(spec.name);
    if (!job) return;
    job.state.status = status;
    if (['Completed', 'Failed', 'Canceled'].includes(status)) job.state.endTime = new Date().toISOString();
    const completed = status === 'Completed';
    this.eventSeq += 1;
    const event: PublishedEvent = {
      id: `evt-${this.eventSeq}`,
      eventType: completed ? 'Microsoft.MachineLearningServices.RunCompleted' : 'Microsoft.MachineLearningServices.RunStatusChanged',
      subject: `experiments/x/runs/${spec.name}`,
      eventTime: new Date().toISOString(),
      data: { experimentId: 'x', experimentName: spec.experimentName, runId: spec.name, runType: null, runTags: spec.tags, runProperties: {}, ...(completed ? {} : { runStatus: status.toLowerCase() }) },
      dataVersion: '',
      metadataVersion: '1',
      topic: '/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w',
    };
    await this.publish(event);
  }
}

/** The datastore URI of a job output folder's file as FakeCompute writes it. */
export function outputFileUri(datastore: string, path: string): string {
  return datastoreUri(datastore, path.endsWith('/') ? `${path}out.txt` : path);
}
