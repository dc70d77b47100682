/**
 * Instance rows → the extension's status shape (protocols §2.11), and query continuation tokens.
 */
import { toStatusHistory, type HistoryEvent } from './history';
import type { InstanceRow } from './store';
import type { InstanceStatus, RuntimeStatus } from './types';

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];
export const ACTIVE_STATUSES: readonly RuntimeStatus[] = ['Pending', 'Running', 'Suspended', 'ContinuedAsNew'];

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Stored JSON text → value; text that is not JSON stays a string; absent → null. */
export function parseStored(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The extension truncates times to seconds: `YYYY-MM-DDTHH:mm:ssZ`. */
export function statusTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export function toInstanceStatus(
  row: InstanceRow,
  options: { showInput?: boolean; history?: HistoryEvent[]; showHistoryOutput?: boolean } = {},
): InstanceStatus {
  return {
    name: row.name,
    instanceId: row.instance_id,
    runtimeStatus: row.status,
    input: options.showInput === false ? null : parseStored(row.input),
    output: parseStored(row.output),
    customStatus: parseStored(row.custom_status),
    createdTime: statusTime(row.created_time),
    lastUpdatedTime: statusTime(row.last_updated_time),
    ...(options.history ? { historyEvents: toStatusHistory(options.history, options.showHistoryOutput ?? false) } : {}),
  };
}

export function encodeContinuation(createdTime: string, instanceId: string): string {
  return Buffer.from(JSON.stringify([createdTime, instanceId])).toString('base64url');
}

export function decodeContinuation(token: string): [string, string] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through: an unreadable token is rejected by the caller
  }
  return undefined;
}
