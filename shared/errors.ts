/**
 * Errors with a stable `name` and `code`, and whether they are the user's fault or the system's.
 * Branch on `code`, never on `instanceof` across the durable boundary: errors cross it as JSON.
 */

export type ErrorKind = 'user' | 'system';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. `jobs.train.inputs.data`. */
  path?: string;
}

export interface AmlSchedErrorOptions extends ErrorLocation {
  kind?: ErrorKind;
  /** True when retrying cannot help (bad input, missing asset). */
  nonRetryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AmlSchedError extends Error {
  override readonly name: string = 'AmlSchedError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly nonRetryable: boolean;
  readonly location: ErrorLocation;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: AmlSchedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = options.kind ?? 'system';
    this.nonRetryable = options.nonRetryable ?? this.kind === 'user';
    const { file, line, column, path } = options;
    this.location = { file, line, column, path };
    this.details = options.details;
  }

  toJSON(): SerializedError {
    return {
      name: this.name,
      code: this.code,
      kind: this.kind,
      message: this.message,
      nonRetryable: this.nonRetryable,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** A bad document, parameter, event, request body or setting: the caller must fix it. */
export class ValidationError extends AmlSchedError {
  override readonly name = 'ValidationError';
  constructor(code: string, message: string, options: Omit<AmlSchedErrorOptions, 'kind'> = {}) {
    super(code, message, { ...options, kind: 'user', nonRetryable: true });
  }
}

/** A missing or malformed app setting; stops start-up with one line naming the setting. */
export class ConfigurationError extends AmlSchedError {
  override readonly name = 'ConfigurationError';
  readonly setting: string;
  constructor(setting: string, message: string) {
    super('invalid_setting', `${setting}: ${message}`, { kind: 'user', nonRetryable: true });
    this.setting = setting;
  }
}

/** Something the system could not reach or do; usually worth a retry. */
export class ServiceError extends AmlSchedError {
  override readonly name = 'ServiceError';
  constructor(code: string, message: string, options: Omit<AmlSchedErrorOptions, 'kind'> = {}) {
    super(code, message, { ...options, kind: 'system' });
  }
}

export class NotFoundError extends AmlSchedError {
  override readonly name = 'NotFoundError';
  constructor(code: string, message: string, options: Omit<AmlSchedErrorOptions, 'kind'> = {}) {
    super(code, message, { ...options, kind: 'user', nonRetryable: true });
  }
}

export interface SerializedError {
  name: string;
  code: string;
  kind: ErrorKind;
  message: string;
  nonRetryable: boolean;
  details?: Record<string, unknown>;
}

/** Normalises anything thrown into a serialisable error, safe to log and to return. */
export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof AmlSchedError) return err.toJSON();
  if (err instanceof Error) {
    const raw = (err as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : 'internal_error';
    return { name: err.name, code, kind: 'system', message: redactSecrets(err.message), nonRetryable: false };
  }
  return { name: 'Error', code: 'internal_error', kind: 'system', message: redactSecrets(String(err)), nonRetryable: false };
}

const SECRET_PATTERNS: RegExp[] = [
  /(AccountKey=)[^;]+/gi,
  /(SharedAccessSignature=)[^;]+/gi,
  /([?&]sig=)[^&\s"']+/gi,
  /([?&]code=)[^&\s"']+/gi,
  /(x-functions-key["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/-]+=*/g,
];

/** Removes keys, SAS signatures and tokens from text before it is logged or returned. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, re) => acc.replace(re, '$1***'), text);
}
