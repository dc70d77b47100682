/**
 * Job events in the Event Grid schema, shaped as Azure ML publishes them:
 * `Microsoft.MachineLearningServices.RunStatusChanged` on every status change and `RunCompleted`
 * on success, subject `experiments/<experimentId>/runs/<jobName>`, topic the workspace's resource id.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { JobSpec, JobState } from '../../shared/compute/types';

export interface EventGridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: string;
}

export type PublishEvents = (events: EventGridEvent[]) => Promise<void>;

/** The workspace the local events claim to come from (placeholders unless settings say otherwise). */
export interface WorkspaceIdentity {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export const LOCAL_WORKSPACE: WorkspaceIdentity = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'local',
  workspace: 'local',
};

export const RUN_STATUS_CHANGED = 'Microsoft.MachineLearningServices.RunStatusChanged';
export const RUN_COMPLETED = 'Microsoft.MachineLearningServices.RunCompleted';

export function workspaceTopic(workspace: WorkspaceIdentity): string {
  return `/subscriptions/${workspace.subscriptionId}/resourceGroups/${workspace.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspace.workspace}`;
}

/** Azure ML experiment ids are GUIDs; locally one is derived from the experiment name so it is stable. */
export function experimentId(experimentName: string): string {
  const hex = createHash('sha256').update(`experiment:${experimentName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The events for a job that has just reached `state.status`. */
export function jobEvents(spec: JobSpec, state: JobState, workspace: WorkspaceIdentity, now: Date = new Date()): EventGridEvent[] {
  const expId = experimentId(spec.experimentName);
  const base = {
    experimentId: expId,
    experimentName: spec.experimentName,
    runId: spec.name,
    runType: 'azureml.scriptrun',
    runTags: { ...state.tags },
    runProperties: {
      ComputeTargetType: 'local',
      ...(spec.displayName ? { displayName: spec.displayName } : {}),
      ...(state.error ? { errorCode: state.error.code } : {}),
    },
  };
  const envelope = (eventType: string, data: Record<string, unknown>): EventGridEvent => ({
    id: randomUUID(),
    topic: workspaceTopic(workspace),
    subject: `experiments/${expId}/runs/${spec.name}`,
    eventType,
    eventTime: now.toISOString(),
    data,
    dataVersion: '',
    metadataVersion: '1',
  });
  const events = [envelope(RUN_STATUS_CHANGED, { ...base, runStatus: state.status })];
  if (state.status === 'Completed') events.push(envelope(RUN_COMPLETED, base));
  return events;
}
