/**
 * The state store's names and keys in Azure Table storage's alphabet:
 * - table names must be 3-63 letters and digits starting with a letter, case-insensitive: a logical
 *   name becomes `amlsched` + its letters and digits, plus a short hash of the original when
 *   anything was dropped or lowered (so `job_events` and `jobevents` stay apart);
 * - PartitionKey/RowKey may not hold `/ \ # ?` or control characters: those (and the escape `%`)
 *   are percent-encoded one character at a time, so a key's prefix encodes to the encoded key's prefix.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';

const TABLE_PREFIX = 'amlsched';
const MAX_KEY_CHARS = 512; // 1 KiB of UTF-16

export function azureTableName(logical: string): string {
  const kept = logical.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const exact = kept === logical;
  const suffix = exact ? '' : createHash('sha256').update(logical).digest('hex').slice(0, 8);
  return `${TABLE_PREFIX}${kept.slice(0, 63 - TABLE_PREFIX.length - suffix.length)}${suffix}`;
}

export function encodeKey(key: string, field: 'partitionKey' | 'rowKey'): string {
  const encoded = key.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  if (encoded.length > MAX_KEY_CHARS) {
    throw new ValidationError('state_key_too_long', `table state store: ${field} '${key.slice(0, 60)}…' is longer than Azure Table storage allows (1 KiB)`);
  }
  return encoded;
}

export function decodeKey(encoded: string): string {
  return encoded.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The smallest string greater than every string that starts with `prefix` (for `lt` bounds). */
export function prefixUpperBound(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const code = prefix.charCodeAt(i);
    if (code < 0xffff) return prefix.slice(0, i) + String.fromCharCode(code + 1);
  }
  return undefined;
}
