/**
 * Request parsing: JSON bodies and query strings checked with zod schemas. The first problem
 * becomes a ValidationError whose `path` names the offending field (`body.inputs.x`), so the
 * problem+json answer says exactly what to fix.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Limit for JSON bodies (bundles carry code files); uploads use their own stream path. */
export const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;

export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map((p) => String(p))].join('.');
}

/** Validates `value` against `schema`; `prefix` is `body` or `query`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(prefix, issue.path) : prefix;
  const message = issue ? issue.message : 'invalid value';
  throw new ValidationError('invalid_request', `${field}: ${message}`, { path: field });
}

/** Parses JSON text (empty text counts as `{}` when `emptyAsObject`), then validates it. */
export function parseJsonText<S extends z.ZodType>(schema: S, text: string, options: { emptyAsObject?: boolean } = {}): z.output<S> {
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) {
    throw new ValidationError('payload_too_large', `body: larger than ${MAX_JSON_BODY_BYTES} bytes`, { path: 'body' });
  }
  let value: unknown;
  if (text.trim() === '') {
    if (!options.emptyAsObject) throw new ValidationError('invalid_request', 'body: a JSON body is required', { path: 'body' });
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ValidationError('invalid_json', `body: not valid JSON (${(err as Error).message})`, { path: 'body' });
    }
  }
  return parseWith(schema, value, 'body');
}

/** Turns URLSearchParams into a plain object (last value wins) for schema checks. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = value;
  return out;
}

/**
 * Runs `fn` and moves a ValidationError it throws under `prefix` (`inputs.x` → `body.inputs.x`),
 * for checks written against the document rather than the request.
 */
export async function underField<T>(prefix: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const inner = err.location.path;
    const path = inner ? `${prefix}.${inner}` : prefix;
    const message = inner && err.message.startsWith(`${inner}:`) ? `${prefix}.${err.message}` : `${path}: ${err.message}`;
    throw new ValidationError(err.code, message, { path, ...(err.details ? { details: err.details } : {}) });
  }
}
