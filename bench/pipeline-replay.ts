/**
 * Replay cost of finished orchestrations, measured in isolation: every episode an instance had is
 * replayed again, one at a time, with the history it saw then (the events stored before its
 * OrchestratorStarted plus the events delivered to it), exactly as the backend sends it
 * (ReplayLog 'read-events'). CPU is process.cpuUsage around each invocation; nothing else runs.
 * With `stride` > 1 only every stride-th episode (in instance and episode order) is replayed and
 * the CPU scaled up: a systematic sample that keeps the check bounded for large flat histories.
 */
import { bindingInfoJson } from '../devhost/durable/episode';
import { EventType, type HistoryEvent } from '../devhost/durable/history';
import { ReplayLog } from '../devhost/durable/replay-log';
import type { HostDatabase } from '../devhost/durable/db';
import type { LoadedApp } from '../devhost/functions/types';

/** Events an episode writes itself (its actions and its end); everything else was delivered to it. */
const WRITTEN_BY_EPISODE = new Set<EventType>([
  EventType.TaskScheduled, EventType.SubOrchestrationInstanceCreated, EventType.TimerCreated, EventType.EventSent,
  EventType.OrchestratorCompleted, EventType.ExecutionCompleted, EventType.ExecutionFailed, EventType.ContinueAsNew,
]);

export interface ReplayCost {
  /** Estimated CPU of replaying every episode (sampled CPU × stride). */
  cpuMs: number;
  episodes: number;
  /** Episodes actually replayed. */
  sampled: number;
  /** History length each episode replayed, summed over all episodes. */
  eventsReplayed: number;
}

export async function replayCost(app: LoadedApp, db: HostDatabase, instanceIds: string[], stride = 1): Promise<ReplayCost> {
  const instance = db.prepare<[string], { name: string; input: string | null; parent: string | null }>('SELECT name, input, parent FROM dt_instances WHERE instance_id = ?');
  const history = db.prepare<[string], { event: string }>('SELECT event FROM dt_history WHERE instance_id = ? ORDER BY seq');
  const cost: ReplayCost = { cpuMs: 0, episodes: 0, sampled: 0, eventsReplayed: 0 };
  for (const id of instanceIds) {
    const row = instance.get(id);
    if (!row) throw new Error(`no instance ${id}`);
    const parent = row.parent ? (JSON.parse(row.parent) as { instanceId?: string }).instanceId ?? null : null;
    const events = history.all(id).map((h) => ({ text: h.event, event: JSON.parse(h.event) as HistoryEvent }));
    const before = new ReplayLog(id, 'read-events');
    for (let i = 0; i < events.length; i += 1) {
      if (events[i]!.event.EventType !== EventType.OrchestratorStarted) {
        before.append(events[i]!.event, events[i]!.text);
        continue;
      }
      const delivered = new ReplayLog(id, 'read-events');
      for (let j = i; j < events.length && (j === i || !WRITTEN_BY_EPISODE.has(events[j]!.event.EventType)); j += 1) delivered.append(events[j]!.event, events[j]!.text);
      cost.eventsReplayed += before.storedCount + delivered.storedCount;
      if (cost.episodes % stride === 0) {
        const sent = before.json === '' ? delivered.json : `${before.json},${delivered.json}`;
        const binding = bindingInfoJson(id, parent, row.input, sent, before.json !== '');
        const cpu = process.cpuUsage();
        await app.invoke({ functionName: row.name, triggerData: { string: binding } });
        const used = process.cpuUsage(cpu);
        cost.cpuMs += (used.user + used.system) / 1000;
        cost.sampled += 1;
      }
      cost.episodes += 1;
      before.append(events[i]!.event, events[i]!.text);
    }
  }
  cost.cpuMs *= stride;
  return cost;
}
