/**
 * Run ids. Derived when idempotency matters (an idempotency key, a blob event, a schedule fire
 * time), so a repeated request maps to the same run; random otherwise. Ids are valid job-name
 * prefixes (letters, digits, `-`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { RunTrigger } from './types';

export function deriveRunId(trigger: RunTrigger, idempotencyKey?: string): string {
  const identity = identityOf(trigger, idempotencyKey);
  if (identity === undefined) return `run-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return `run-${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}

function identityOf(trigger: RunTrigger, idempotencyKey?: string): string | undefined {
  const key = idempotencyKey ?? trigger.idempotencyKey;
  if (key) return `key\n${trigger.type}\n${trigger.schedule ?? ''}\n${key}`;
  if (trigger.type === 'schedule' && trigger.schedule && trigger.fireTime) return `schedule\n${trigger.schedule}\n${trigger.fireTime}`;
  if (trigger.eventId) return `event\n${trigger.type}\n${trigger.schedule ?? ''}\n${trigger.eventId}`;
  return undefined;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

export function isValidRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}
