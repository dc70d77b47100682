/**
 * The `Idempotency-Key` header of run starts. The runs layer derives the run id from the key, so
 * a repeated request finds the run it started; this module only checks the header's form.
 */
import { ValidationError } from '../errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Undefined when absent; printable ASCII without spaces, at most 200 characters. */
export function idempotencyKeyOf(headers: Headers): string | undefined {
  const value = headers.get(IDEMPOTENCY_HEADER);
  if (value === null) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw new ValidationError('invalid_request', 'header.Idempotency-Key: 1 to 200 printable ASCII characters without spaces', { path: 'header.Idempotency-Key' });
  }
  return value;
}
