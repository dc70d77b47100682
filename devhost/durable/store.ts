/**
 * Prepared statements over the task hub tables (db.ts). Synchronous, so a caller composes several
 * of them inside one `db.transaction`.
 */
import type { Statement } from 'better-sqlite3';
import type { RuntimeStatus } from './types';
import type { HostDatabase } from './db';
import type { EventType, HistoryEvent } from './history';

export interface InstanceRow {
  instance_id: string;
  execution_id: string;
  name: string;
  version: string | null;
  status: RuntimeStatus;
  input: string | null;
  output: string | null;
  custom_status: string | null;
  created_time: string;
  last_updated_time: string;
  parent: string | null;
  replay_state: string;
}

export interface InboxRow {
  id: number;
  instance_id: string;
  execution_id: string | null;
  event_type: EventType;
  event: string;
  visible_at: number;
}

export interface ActivityRow {
  id: number;
  instance_id: string;
  execution_id: string;
  task_id: number;
  name: string;
  input: string | null;
}

/** Where a sub-orchestration reports back to. */
export interface ParentRef {
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
  name: string;
}

export class DurableStore {
  readonly db: HostDatabase;
  readonly getInstance: Statement<[string], InstanceRow>;
  readonly insertInstance: Statement<InstanceRow>;
  readonly updateInstance: Statement<{ instance_id: string; execution_id: string; status: string; output: string | null; custom_status: string | null; last_updated_time: string; replay_state: string; input: string | null }>;
  readonly deleteInstance: Statement<[string]>;
  readonly history: Statement<[string], { event: string }>;
  readonly historyCount: Statement<[string], { n: number }>;
  readonly appendHistory: Statement<[string, number, string]>;
  readonly deleteHistory: Statement<[string]>;
  readonly inboxDue: Statement<[string, number], InboxRow>;
  readonly insertInbox: Statement<[string, string | null, number, string, number]>;
  readonly deleteInboxRow: Statement<[number]>;
  readonly deleteInbox: Statement<[string]>;
  readonly dueInstances: Statement<[number], { instance_id: string }>;
  readonly deleteExecutionInbox: Statement<[string]>;
  readonly nextVisible: Statement<[number], { t: number | null }>;
  readonly insertActivity: Statement<[string, string, number, string, string | null]>;
  readonly deleteActivity: Statement<[number]>;
  readonly deleteActivities: Statement<[string]>;
  readonly allActivities: Statement<[], ActivityRow>;

  constructor(db: HostDatabase) {
    this.db = db;
    this.getInstance = db.prepare('SELECT * FROM dt_instances WHERE instance_id = ?');
    this.insertInstance = db.prepare(`INSERT OR REPLACE INTO dt_instances
      (instance_id, execution_id, name, version, status, input, output, custom_status, created_time, last_updated_time, parent, replay_state)
      VALUES (@instance_id, @execution_id, @name, @version, @status, @input, @output, @custom_status, @created_time, @last_updated_time, @parent, @replay_state)`);
    this.updateInstance = db.prepare(`UPDATE dt_instances SET execution_id = @execution_id, status = @status, output = @output,
      custom_status = @custom_status, last_updated_time = @last_updated_time, replay_state = @replay_state, input = @input
      WHERE instance_id = @instance_id`);
    this.deleteInstance = db.prepare('DELETE FROM dt_instances WHERE instance_id = ?');
    this.history = db.prepare('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq');
    this.historyCount = db.prepare('SELECT COUNT(*) AS n FROM dt_history WHERE instance_id = ?');
    this.appendHistory = db.prepare('INSERT INTO dt_history (instance_id, seq, event) VALUES (?, ?, ?)');
    this.deleteHistory = db.prepare('DELETE FROM dt_history WHERE instance_id = ?');
    this.inboxDue = db.prepare('SELECT * FROM dt_inbox WHERE instance_id = ? AND visible_at <= ? ORDER BY id');
    this.insertInbox = db.prepare('INSERT INTO dt_inbox (instance_id, execution_id, event_type, event, visible_at) VALUES (?, ?, ?, ?, ?)');
    this.deleteInboxRow = db.prepare('DELETE FROM dt_inbox WHERE id = ?');
    this.deleteInbox = db.prepare('DELETE FROM dt_inbox WHERE instance_id = ?');
    // Due messages, except those a suspended instance keeps until it is resumed or terminated.
    this.dueInstances = db.prepare(`SELECT DISTINCT b.instance_id FROM dt_inbox b
      LEFT JOIN dt_instances i ON i.instance_id = b.instance_id
      WHERE b.visible_at <= ? AND (i.status IS NULL OR i.status <> 'Suspended' OR b.event_type IN (3, 20))`);
    this.deleteExecutionInbox = db.prepare('DELETE FROM dt_inbox WHERE instance_id = ? AND execution_id IS NOT NULL');
    this.nextVisible = db.prepare('SELECT MIN(visible_at) AS t FROM dt_inbox WHERE visible_at > ?');
    this.insertActivity = db.prepare('INSERT INTO dt_activities (instance_id, execution_id, task_id, name, input) VALUES (?, ?, ?, ?, ?)');
    this.deleteActivity = db.prepare('DELETE FROM dt_activities WHERE id = ?');
    this.deleteActivities = db.prepare('DELETE FROM dt_activities WHERE instance_id = ?');
    this.allActivities = db.prepare('SELECT * FROM dt_activities ORDER BY id');
  }

  readHistory(instanceId: string): string[] {
    return this.history.all(instanceId).map((r) => r.event);
  }

  postEvent(instanceId: string, executionId: string | null, event: HistoryEvent, visibleAt: number): void {
    this.insertInbox.run(instanceId, executionId, event.EventType, JSON.stringify(event), visibleAt);
  }

  /** Removes every trace of an instance (purge, or a fresh start over a finished id). */
  erase(instanceId: string): void {
    this.deleteHistory.run(instanceId);
    this.deleteInbox.run(instanceId);
    this.deleteActivities.run(instanceId);
    this.deleteInstance.run(instanceId);
  }
}
