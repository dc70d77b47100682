/**
 * Azure ML job events (Event Grid `Microsoft.MachineLearningServices.RunCompleted` and
 * `RunStatusChanged`) reduced to what the runs layer needs. The data keys come camelCase (REST
 * examples, SDK types) or PascalCase (the Learn page), and statuses in any case; both are read.
 * RunCompleted means success; failures and cancellations come only as RunStatusChanged.
 */
import { JOB_TAGS, type JobStatus } from '../compute/types';
import { normalizeJobStatus } from './status';

export const AML_EVENT_TYPES = {
  completed: 'Microsoft.MachineLearningServices.RunCompleted',
  statusChanged: 'Microsoft.MachineLearningServices.RunStatusChanged',
} as const;

export interface AmlJobEvent {
  eventId: string;
  eventType: string;
  eventTime?: string;
  jobName: string;
  status: JobStatus;
  tags: Record<string, string>;
  /** The step orchestration waiting for this job, from the job's tags. */
  instanceId?: string;
  runId?: string;
}

/** Undefined for events that are not Azure ML job status events or carry no job name/status. */
export function parseAmlJobEvent(event: unknown): AmlJobEvent | undefined {
  if (!isRecord(event)) return undefined;
  const eventType = str(pick(event, 'eventType') ?? pick(event, 'type'));
  if (!eventType) return undefined;
  const lower = eventType.toLowerCase();
  const completed = lower === AML_EVENT_TYPES.completed.toLowerCase();
  if (!completed && lower !== AML_EVENT_TYPES.statusChanged.toLowerCase()) return undefined;
  const data = pick(event, 'data');
  if (!isRecord(data)) return undefined;
  const jobName = str(pick(data, 'runId')) ?? jobFromSubject(str(pick(event, 'subject')));
  const status = completed ? 'Completed' : normalizeJobStatus(pick(data, 'runStatus'));
  if (!jobName || !status) return undefined;
  const tags = stringRecord(pick(data, 'runTags'));
  const eventTime = str(pick(event, 'eventTime') ?? pick(event, 'time'));
  return {
    eventId: str(pick(event, 'id')) ?? `${jobName}:${status}`,
    eventType,
    ...(eventTime ? { eventTime } : {}),
    jobName,
    status,
    tags,
    ...(tags[JOB_TAGS.instanceId] ? { instanceId: tags[JOB_TAGS.instanceId] } : {}),
    ...(tags[JOB_TAGS.runId] ? { runId: tags[JOB_TAGS.runId] } : {}),
  };
}

/** A key in camelCase or PascalCase (or any case). */
function pick(record: Record<string, unknown>, key: string): unknown {
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}

function jobFromSubject(subject: string | undefined): string | undefined {
  return subject ? /(?:^|\/)runs\/([^/]+)$/.exec(subject)?.[1] : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v === null || v === undefined ? [] : [[k, String(v)]])));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
