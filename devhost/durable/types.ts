/**
 * What the local Durable backend offers to the rest of the host: the operations behind the
 * Durable HTTP management API (../shared/reference/protocols.md §2.10) and the durable client
 * binding. Statuses and shapes follow the Durable extension.
 */

export type RuntimeStatus =
  | 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  /** Parsed JSON (or the raw string when the stored text is not JSON); null when absent. */
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  /** Only when asked for, in the extension's `historyEvents` format. */
  historyEvents?: unknown[];
}

export interface InstanceQuery {
  createdTimeFrom?: string;
  createdTimeTo?: string;
  runtimeStatus?: RuntimeStatus[];
  instanceIdPrefix?: string;
  top?: number;
  continuationToken?: string;
  showInput?: boolean;
}

export interface DurableBackend {
  readonly taskHub: string;
  /** Fails with code `instance_exists` when the id is held by a Pending/Running/Suspended instance. */
  startNew(name: string, options: { instanceId?: string; input?: unknown; version?: string }): Promise<string>;
  getStatus(instanceId: string, options?: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean }): Promise<InstanceStatus | undefined>;
  query(query: InstanceQuery): Promise<{ instances: InstanceStatus[]; continuationToken?: string }>;
  /** `not_found` for an unknown instance; `gone` for a finished one. */
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void>;
  terminate(instanceId: string, reason: string): Promise<void>;
  suspend(instanceId: string, reason: string): Promise<void>;
  resume(instanceId: string, reason: string): Promise<void>;
  rewind(instanceId: string, reason: string): Promise<void>;
  purge(instanceId: string): Promise<number>;
  purgeBy(filter: { createdTimeFrom: string; createdTimeTo?: string; runtimeStatus?: RuntimeStatus[] }): Promise<number>;
  /** Resolves when nothing is runnable or in flight (no due work items); for tests and benchmarks. */
  idle(): Promise<void>;
}
