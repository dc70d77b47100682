/**
 * Step fingerprints: what decides whether an earlier job's outputs can stand in for a new one.
 * The parts are kept (not only their hash) so a miss can say what changed: the code file, the
 * input, the command, the environment or the component definition.
 */
import { createHash } from 'node:crypto';

export interface FingerprintParts {
  /** Canonical JSON of the component definition. */
  component: string;
  command: string;
  /** Canonical JSON of the environment, with registered `@latest` resolved and conda files hashed. */
  environment: string;
  /** Content hash of the code snapshot ('' when the component has no code). */
  code: string;
  /** Relative file → content hash, when the code snapshot lists its files. */
  codeFiles?: Record<string, string>;
  /** Literal inputs by name (as canonical JSON). */
  literals: Record<string, string>;
  /** Identity of each data input: asset version, blob MD5/eTag, upstream step fingerprint. */
  data: Record<string, string>;
}

/** sha256 over the parts that decide the outputs (the file list is covered by the code hash). */
export function fingerprintOf(parts: FingerprintParts): string {
  const { codeFiles: _files, ...decisive } = parts;
  return createHash('sha256').update(canonicalJson(decisive)).digest('hex');
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Why a step whose fingerprint has no entry was not reused, compared with its last recorded parts. */
export function missReason(previous: FingerprintParts | undefined, current: FingerprintParts): string {
  if (!previous) return 'no entry';
  if (previous.code !== current.code) {
    const file = changedFile(previous.codeFiles, current.codeFiles);
    return file ? `code changed: file ${file}` : 'code changed';
  }
  for (const name of union(previous.data, current.data)) if (previous.data[name] !== current.data[name]) return `input ${name} changed`;
  for (const name of union(previous.literals, current.literals)) if (previous.literals[name] !== current.literals[name]) return `input ${name} changed`;
  if (previous.command !== current.command) return 'command changed';
  if (previous.environment !== current.environment) return 'environment changed';
  if (previous.component !== current.component) return 'component changed';
  return 'no entry';
}

function changedFile(before: Record<string, string> | undefined, after: Record<string, string> | undefined): string | undefined {
  if (!before || !after) return undefined;
  return [...union(before, after)].sort().find((f) => before[f] !== after[f]);
}

function union(a: Record<string, string>, b: Record<string, string>): Set<string> {
  return new Set([...Object.keys(a), ...Object.keys(b)]);
}
