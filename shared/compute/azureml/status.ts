/** Job resources (JobBaseResource, read as raw JSON) as JobState. */
import type { JobState, JobStatus } from '../types';

const STATUSES: readonly JobStatus[] = [
  'NotStarted', 'Starting', 'Provisioning', 'Preparing', 'Queued', 'Running', 'Finalizing',
  'CancelRequested', 'Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused', 'Unknown',
];

/** The service's status string as a JobStatus; anything unknown (or a newer value) is `Unknown`. */
export function toJobStatus(raw: unknown): JobStatus {
  if (typeof raw !== 'string') return 'Unknown';
  return STATUSES.find((s) => s.toLowerCase() === raw.toLowerCase()) ?? 'Unknown';
}

export interface JobResource {
  name?: string;
  systemData?: { createdAt?: string };
  properties?: {
    status?: string;
    tags?: Record<string, string | null>;
    properties?: Record<string, string | null>;
    outputs?: Record<string, { jobOutputType?: string; uri?: string | null } | null>;
    services?: Record<string, { endpoint?: string | null } | null>;
  };
}

export function toJobState(name: string, resource: JobResource): JobState {
  const p = resource.properties ?? {};
  const state: JobState = {
    name: resource.name ?? name,
    status: toJobStatus(p.status),
    tags: strings(p.tags),
    outputs: {},
  };
  if (resource.systemData?.createdAt) state.createdTime = resource.systemData.createdAt;
  for (const [output, value] of Object.entries(p.outputs ?? {})) {
    if (value?.uri) state.outputs[output] = value.uri;
  }
  return state;
}

export function strings(record: Record<string, string | null> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
