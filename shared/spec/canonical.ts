/** Canonical JSON (sorted keys, no undefined) and content hashes of plans and components. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level; `omit` drops keys of that name everywhere. */
export function canonicalJson(value: unknown, omit: readonly string[] = []): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const child = (v as Record<string, unknown>)[key];
        if (child === undefined || omit.includes(key)) continue;
        out[key] = norm(child);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
