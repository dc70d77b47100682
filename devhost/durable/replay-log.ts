/**
 * The history of an execution as it is sent to the orchestrator, kept per instance as one JSON
 * fragment that grows by appending (no re-serialisation per episode).
 *
 * By default the fragment holds only the events durable-functions 3.5.0 reads while replaying
 * (`TaskOrchestrationExecutor.processEvent`: OrchestratorStarted, ExecutionStarted, ContinueAsNew,
 * EventSent and the completion events); scheduling rows, OrchestratorCompleted and the
 * execution/suspension markers are skipped by that code, so leaving them out changes nothing but
 * the replay cost (about half the events). The stored history is always complete. `full` sends
 * every event, as the extension does; the conformance suite runs both and compares.
 */
import { EventType, type HistoryEvent } from './history';

export type ReplayPayload = 'full' | 'read-events';

const READ_BY_LIBRARY = new Set<EventType>([
  EventType.OrchestratorStarted, EventType.ExecutionStarted, EventType.ContinueAsNew, EventType.EventSent,
  EventType.TaskCompleted, EventType.TaskFailed, EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed, EventType.TimerFired, EventType.EventRaised,
]);

export class ReplayLog {
  readonly executionId: string;
  /** Rows stored for the execution (the next history `seq`). */
  storedCount = 0;
  /** Comma-separated JSON of the events sent on replay. */
  json = '';
  readonly #payload: ReplayPayload;

  constructor(executionId: string, payload: ReplayPayload) {
    this.executionId = executionId;
    this.#payload = payload;
  }

  append(event: HistoryEvent, text: string): void {
    this.storedCount++;
    if (this.#payload === 'full' || READ_BY_LIBRARY.has(event.EventType)) {
      this.json = this.json === '' ? text : `${this.json},${text}`;
    }
  }
}
