/**
 * The HTTP client the CLI uses to talk to the app (local host or Azure). Sends the function key
 * in `x-functions-key`; turns problem+json answers back into errors with the server's code, so a
 * 404 prints one line like `run r-1 not found (run_not_found)`.
 */
import { AmlSchedError, NotFoundError, ServiceError, ValidationError } from '../errors';
import { isProblem } from './problem';

export interface ApiConnection {
  /** Origin of the app, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  key?: string;
}

export interface ApiRequest {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  /** Raw body (uploads). */
  body?: Buffer;
  contentType?: string;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  constructor(readonly connection: ApiConnection) {}

  url(path: string, query?: ApiRequest['query']): string {
    const url = new URL(path.replace(/^\/+/, ''), this.connection.baseUrl.replace(/\/*$/, '/'));
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  async send<T>(method: string, path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.connection.key) headers['x-functions-key'] = this.connection.key;
    let body: string | Buffer | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = 'application/json';
    } else if (request.body !== undefined) {
      body = request.body;
      headers['content-type'] = request.contentType ?? 'application/octet-stream';
    }
    const url = this.url(path, request.query);
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).message;
      throw new ServiceError('host_unreachable', `cannot reach ${this.connection.baseUrl} (${reason}); start the local host with 'amlsched dev' or set AMLSCHED_URL`);
    }
    const text = await response.text();
    const parsed = parseBody(text, response.headers.get('content-type'));
    if (!response.ok) throw errorFromResponse(method, path, response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  async get<T>(path: string, query?: ApiRequest['query']): Promise<T> {
    return (await this.send<T>('GET', path, { query })).body;
  }

  async post<T>(path: string, json: unknown = {}, headers?: Record<string, string>): Promise<T> {
    return (await this.send<T>('POST', path, { json, headers })).body;
  }

  async put<T>(path: string, json: unknown): Promise<T> {
    return (await this.send<T>('PUT', path, { json })).body;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.send<T>('DELETE', path)).body;
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A problem+json answer (or any error status) as an error with the server's code and field. */
export function errorFromResponse(method: string, path: string, status: number, body: unknown): AmlSchedError {
  if (isProblem(body)) {
    const code = typeof body.code === 'string' ? body.code : `http_${status}`;
    const message = body.detail || body.title;
    const options = body.field ? { path: body.field } : {};
    if (status === 404) return new NotFoundError(code, message, options);
    if (status === 401) return new AmlSchedError(code, `${message}; set AMLSCHED_KEY or use the local host's key file`, { kind: 'user' });
    if (status >= 400 && status < 500) return new ValidationError(code, message, options);
    return new ServiceError(code, message, options);
  }
  const hint = typeof body === 'string' && body.length > 0 ? `: ${body.slice(0, 200)}` : '';
  const message = `${method} ${path} answered ${status}${hint}`;
  if (status === 404) return new NotFoundError('not_found', message);
  if (status === 401) return new AmlSchedError('unauthorized', `${message}; set AMLSCHED_KEY or use the local host's key file`, { kind: 'user' });
  if (status >= 400 && status < 500) return new ValidationError(`http_${status}`, message);
  return new ServiceError(`http_${status}`, message);
}
