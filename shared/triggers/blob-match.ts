/**
 * Which blob-trigger schedules a BlobCreated event starts, and why the others do not. Pure: the
 * datastore of an account + container comes from a lookup the caller passes in.
 */
import picomatch from 'picomatch';
import type { BlobTrigger, Schedule } from '../spec/schedule';
import type { BlobCreatedEvent } from './blob-event';

/** The datastore name of a storage account + container, or undefined when none is configured. */
export type DatastoreLookup = (account: string, container: string) => string | undefined;

export type BlobSchedule = Schedule & { trigger: BlobTrigger };

export interface BlobMatch {
  schedule: BlobSchedule;
  datastore: string;
  /** `data`: a blob to run on (or to gather into a batch); `marker`: the file that closes a folder. */
  kind: 'data' | 'marker';
}

export interface BlobFiltered {
  /** Absent when the event concerns no schedule at all (no datastore, not a final write). */
  schedule?: string;
  reason: string;
}

export interface BlobMatchResult {
  matches: BlobMatch[];
  filtered: BlobFiltered[];
}

/** Writes after which the blob is not complete yet: ADLS Gen2 creates the file, then flushes it. */
const NON_FINAL_APIS = new Set(['CreateFile', 'FlushFile', 'AppendFile']);

export function isBlobSchedule(s: Schedule): s is BlobSchedule {
  return s.trigger.type === 'blob';
}

const matchers = new Map<string, picomatch.Matcher>();
function globMatches(glob: string, blobPath: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    m = picomatch(glob);
    matchers.set(glob, m);
  }
  return m(blobPath);
}

/** The folder of a blob path (`a/b/` for `a/b/c.csv`, `` at the root). */
export function folderOf(blobPath: string): string {
  return blobPath.slice(0, blobPath.lastIndexOf('/') + 1);
}

function baseName(blobPath: string): string {
  return blobPath.slice(blobPath.lastIndexOf('/') + 1);
}

/** A marker counts when it sits where the schedule's files can: matched by the glob or under its fixed base folder. */
function isMarkerOf(t: BlobTrigger, blobPath: string): boolean {
  if (!t.marker || baseName(blobPath) !== t.marker) return false;
  if (globMatches(t.path, blobPath)) return true;
  const base = picomatch.scan(t.path).base;
  return base === '' || blobPath.startsWith(`${base.replace(/\/+$/, '')}/`);
}

export function matchBlobEvent(event: BlobCreatedEvent, schedules: readonly Schedule[], lookup: DatastoreLookup): BlobMatchResult {
  const result: BlobMatchResult = { matches: [], filtered: [] };
  if (NON_FINAL_APIS.has(event.api)) {
    result.filtered.push({ reason: `not a final write (api ${event.api}); waiting for FlushWithClose` });
    return result;
  }
  const datastore = lookup(event.account, event.container);
  if (datastore === undefined) {
    result.filtered.push({ reason: `no datastore for storage account '${event.account}' container '${event.container}'` });
    return result;
  }
  const candidates = schedules.filter(isBlobSchedule).filter((s) => s.trigger.datastore === datastore);
  for (const s of candidates) {
    const t = s.trigger;
    const marker = isMarkerOf(t, event.blobPath);
    if (!marker && !globMatches(t.path, event.blobPath)) {
      result.filtered.push({ schedule: s.name, reason: `path '${event.blobPath}' does not match '${t.path}'` });
    } else if (!s.isEnabled) {
      result.filtered.push({ schedule: s.name, reason: 'schedule is disabled' });
    } else if (!marker && event.contentLength === 0) {
      result.filtered.push({ schedule: s.name, reason: `zero-byte blob '${event.blobPath}'` });
    } else {
      result.matches.push({ schedule: s, datastore, kind: marker ? 'marker' : 'data' });
    }
  }
  if (candidates.length === 0) result.filtered.push({ reason: `no blob schedule watches datastore '${datastore}'` });
  return result;
}
