/**
 * Derived run ids (Durable instance ids): the same logical event always gives the same id, so
 * starting it twice is detectable. Readable (the schedule name first, then the kind of trigger)
 * and valid everywhere an instance id goes: only letters, digits, `-`, `_` and `.`, never
 * `/ \ # ?`, at most MAX_RUN_ID_LENGTH characters (long parts are hashed).
 */
import { createHash } from 'node:crypto';

export const MAX_RUN_ID_LENGTH = 100;
const NAME_PART = 48;

function hash(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A readable, safe token: unsafe characters become `_`; too long, it is cut and a hash of the whole added. */
function token(text: string, max: number): string {
  const safe = text.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return safe.length <= max && safe === text ? safe : `${safe.slice(0, Math.max(0, max - 9))}-${hash(text, 8)}`;
}

function compactTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function isValidRunId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_RUN_ID_LENGTH && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id);
}

/** One run per blob: schedule + blob URL + eTag (a rewritten blob has a new eTag, so runs again). */
export function blobRunId(schedule: string, url: string, etag: string): string {
  return `${token(schedule, NAME_PART)}-blob-${hash(`${url}\n${etag}`)}`;
}

/** One run per batch window: schedule + window start + the sorted set of members (url + eTag). */
export function batchRunId(schedule: string, windowStart: Date, members: readonly { url: string; etag: string }[]): string {
  const set = [...new Set(members.map((m) => `${m.url}\n${m.etag}`))].sort().join('\n');
  return `${token(schedule, NAME_PART)}-batch-${compactTime(windowStart)}-${hash(set, 12)}`;
}

/** One run per folder closed by a marker: schedule + folder. */
export function markerRunId(schedule: string, folder: string): string {
  const readable = token(folder.replace(/\/+$/, '').split('/').pop() || 'root', 20);
  return `${token(schedule, NAME_PART)}-folder-${readable}-${hash(folder, 12)}`;
}

/** One run per fire time: schedule + fire time (to the second, UTC). */
export function timerRunId(schedule: string, fireTime: Date): string {
  return `${token(schedule, NAME_PART)}-${compactTime(fireTime)}`;
}
