/**
 * Response helpers for the HTTP functions: JSON answers, and one wrapper that turns anything
 * thrown into problem+json (user errors keep their message and field; system errors are logged
 * with their stack and answered with one line).
 */
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { redactSecrets } from '../errors';
import { PROBLEM_CONTENT_TYPE, problemFromError, type Problem } from './problem';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function problemResponse(p: Problem): HttpResponseInit {
  return { status: p.status, jsonBody: p, headers: { 'content-type': PROBLEM_CONTENT_TYPE } };
}

/** Wraps a handler so every error becomes a problem+json answer. */
export function apiHandler(handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      const p = problemFromError(err, new URL(request.url).pathname);
      if (p.status >= 500) context.error(`${request.method} ${p.instance ?? ''} failed: ${redactSecrets(err instanceof Error ? err.stack ?? err.message : String(err))}`);
      return problemResponse(p);
    }
  };
}

/** The app's origin as the caller sees it, for status URLs. */
export function originOf(request: HttpRequest): string {
  return new URL(request.url).origin;
}
