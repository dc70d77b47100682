import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../shared/errors';

/**
 * Function and host keys, as the Functions host keeps them: a master key (admin level), host
 * function keys (function level, `default` first) and system keys for extensions' webhooks.
 * Generated on first start into `<data>/host-keys.json` (mode 0600) and kept across restarts;
 * the CLI reads the same file (`readHostKeys`).
 */
export interface HostKeys {
  masterKey: string;
  functionKeys: Record<string, string>;
  systemKeys: Record<string, string>;
}

export const SYSTEM_KEY_DURABLE = 'durabletask_extension';
export const SYSTEM_KEY_EVENT_GRID = 'eventgrid_extension';

export function hostKeysPath(dataDir: string): string {
  return path.join(dataDir, 'host-keys.json');
}

function newKey(): string {
  return randomBytes(40).toString('base64url');
}

/** Reads the keys; undefined when the file does not exist yet. */
export function readHostKeys(dataDir: string): HostKeys | undefined {
  const file = hostKeysPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const keys = JSON.parse(text) as HostKeys;
    if (typeof keys.masterKey !== 'string' || typeof keys.functionKeys !== 'object' || typeof keys.systemKeys !== 'object') {
      throw new Error('missing masterKey, functionKeys or systemKeys');
    }
    return keys;
  } catch (err) {
    throw new ConfigurationError(file, `is not a valid key file (${(err as Error).message}); delete it to generate new keys`);
  }
}

/** Reads the keys, creating the file (and any missing key) on first start. */
export function ensureHostKeys(dataDir: string): HostKeys {
  const existing = readHostKeys(dataDir);
  const keys: HostKeys = existing ?? { masterKey: newKey(), functionKeys: {}, systemKeys: {} };
  let changed = !existing;
  for (const [bag, name] of [[keys.functionKeys, 'default'], [keys.systemKeys, SYSTEM_KEY_DURABLE], [keys.systemKeys, SYSTEM_KEY_EVENT_GRID]] as const) {
    if (typeof bag[name] !== 'string') {
      bag[name] = newKey();
      changed = true;
    }
  }
  if (changed) {
    const file = hostKeysPath(dataDir);
    mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  }
  return keys;
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AuthLevel = 'anonymous' | 'function' | 'admin' | 'system';

/**
 * Whether `given` grants `level`: anonymous needs nothing; function accepts any function key or
 * the master key; system accepts the named system key or the master key; admin only the master key.
 */
export function keyGrants(keys: HostKeys, level: AuthLevel, given: string | undefined, systemKeyName?: string): boolean {
  if (level === 'anonymous') return true;
  if (!given) return false;
  if (sameKey(given, keys.masterKey)) return true;
  if (level === 'function') return Object.values(keys.functionKeys).some((k) => sameKey(given, k));
  if (level === 'system' && systemKeyName) {
    const key = keys.systemKeys[systemKeyName];
    return key !== undefined && sameKey(given, key);
  }
  return false;
}
