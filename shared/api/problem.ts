/**
 * Errors as `application/problem+json` (RFC 9457): a stable `code`, a short `title` for the kind
 * of problem, a `detail` sentence, and the offending `field` when the caller sent something bad.
 * The CLI client turns these back into AmlSchedError subclasses with the same code.
 */
import { AmlSchedError, redactSecrets, toSerializedError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  /** Field path in the request (`body.inputs.x`, `query.top`, `header.Idempotency-Key`). */
  field?: string;
  instance?: string;
  /** Every located problem when a document (pipeline, schedule) had several. */
  errors?: unknown[];
}

/** Codes that do not follow from the error class alone. */
const STATUS_BY_CODE: Record<string, number> = {
  unauthorized: 401,
  conflict: 409,
  instance_exists: 409,
  idempotency_conflict: 409,
  /** Cancel of an ended run, rerun of a running one. */
  run_finished: 409,
  run_not_finished: 409,
  run_history_purged: 410,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A missing or wrong app setting: the operator's to fix, not the caller's. */
  invalid_setting: 503,
};

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  500: 'Internal error',
  502: 'Upstream service failed',
  503: 'Service not configured',
};

export function problem(status: number, code: string, detail: string, options: { field?: string; title?: string; instance?: string; errors?: unknown[] } = {}): Problem {
  return {
    type: `urn:amlsched:problem:${code}`,
    title: options.title ?? TITLE_BY_STATUS[status] ?? 'Error',
    status,
    code,
    detail: redactSecrets(detail),
    ...(options.field ? { field: options.field } : {}),
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.errors ? { errors: options.errors } : {}),
  };
}

/** Maps anything thrown to a problem: user errors keep their message, system errors are not leaked beyond one line. */
export function problemFromError(err: unknown, instance?: string): Problem {
  const serialized = toSerializedError(err);
  const field = err instanceof AmlSchedError ? err.location.path : undefined;
  let status = STATUS_BY_CODE[serialized.code];
  if (status === undefined) {
    if (serialized.name === 'NotFoundError') status = 404;
    else if (serialized.kind === 'user') status = 400;
    else if (serialized.name === 'ServiceError') status = 502;
    else status = 500;
  }
  const detail = status === 500 ? 'The server failed to handle the request; see the host log.' : serialized.message;
  const located = serialized.details?.problems;
  const errors = status < 500 && Array.isArray(located) ? located : undefined;
  return problem(status, serialized.code, detail, { field, instance, errors });
}

/** True when the value looks like a problem document (for clients). */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null
    && typeof (value as Problem).status === 'number' && typeof (value as Problem).title === 'string';
}
