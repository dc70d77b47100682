import type { InstanceStatus } from '../durable/types';

/**
 * The extension's status JSON (`StatusResponsePayload`): `input`, `output` and `customStatus`
 * always present (null when absent: DurableOrchestrationStatus throws on undefined), times
 * truncated to seconds.
 */
function seconds(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function statusJson(status: InstanceStatus, showInput = true): Record<string, unknown> {
  return {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: showInput ? (status.input ?? null) : null,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: seconds(status.createdTime),
    lastUpdatedTime: seconds(status.lastUpdatedTime),
    ...(status.historyEvents ? { historyEvents: status.historyEvents } : {}),
  };
}
