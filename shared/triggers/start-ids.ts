/**
 * Derived trigger run ids (run-ids.ts) in the form startRun accepts: letters, digits and `-`.
 * run-ids.ts keeps `_` and `.` of schedule names for readability; those become `-` here with a
 * short hash of the original id appended, so `a_b` and `a-b` still give different runs.
 */
import { createHash } from 'node:crypto';

const STARTABLE = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

export function startableRunId(id: string): string {
  if (STARTABLE.test(id)) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  const safe = id.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+/, '');
  return `${safe.slice(0, 100 - hash.length - 1)}-${hash}`;
}
