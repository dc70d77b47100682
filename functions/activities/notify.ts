/** Reports a child's result to its parent orchestration as a ChildDone event. */
import type { DurableClient } from 'durable-functions';
import { EVENTS, type ChildDone } from '../../shared/run/names';
import type { ParentRef } from '../../shared/run/step-types';

export async function notifyParent(client: DurableClient | undefined, parent: ParentRef, result: unknown): Promise<void> {
  if (!client) throw new Error('runs_notifyParent: no durable client binding');
  const event: ChildDone = { key: parent.key, result };
  await client.raiseEvent(parent.instanceId, EVENTS.childDone, event);
}
