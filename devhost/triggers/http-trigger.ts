import { redactSecrets } from '../../shared/errors';
import type { FunctionRegistration, InvocationResult, LoadedApp, RpcHttpData } from '../functions/types';
import { type AuthLevel, type HostKeys, keyGrants } from '../keys';
import type { Logger } from '../logger';
import { type HostRequest, type HostResponse, type RouteHandler, textResponse } from '../http/types';
import { compareRoutes, compileRoute, type CompiledRoute } from './route-template';
import { toHostResponse } from './http-response';

/**
 * HTTP trigger routing: every `httpTrigger` function's route under the route prefix, its
 * methods and its `authLevel` (key in `x-functions-key` or `?code=`; 401 and no invocation
 * otherwise). The request reaches the function as the worker's `{http}` typed data.
 */
export interface HttpFunctionRoute {
  fn: FunctionRegistration;
  route: CompiledRoute;
  /** Upper-case methods; undefined means any. */
  methods: ReadonlySet<string> | undefined;
  authLevel: AuthLevel;
}

const AUTH_LEVELS = new Set<AuthLevel>(['anonymous', 'function', 'admin', 'system']);

export function buildHttpRoutes(functions: Iterable<FunctionRegistration>, routePrefix: string): HttpFunctionRoute[] {
  const routes: HttpFunctionRoute[] = [];
  for (const fn of functions) {
    if (fn.trigger.type !== 'httpTrigger') continue;
    const binding = fn.trigger.binding;
    const route = typeof binding.route === 'string' && binding.route !== '' ? binding.route : fn.name;
    const methods = Array.isArray(binding.methods) && binding.methods.length ? new Set(binding.methods.map((m) => String(m).toUpperCase())) : undefined;
    const level = String(binding.authLevel ?? 'function').toLowerCase() as AuthLevel;
    routes.push({
      fn,
      route: compileRoute(routePrefix ? `${routePrefix}/${route.replace(/^\/+/, '')}` : route),
      methods,
      authLevel: AUTH_LEVELS.has(level) ? level : 'function',
    });
  }
  return routes.sort((a, b) => compareRoutes(a.route, b.route));
}

export function findRoute(routes: readonly HttpFunctionRoute[], method: string, path: string): { entry: HttpFunctionRoute; params: Record<string, string> } | undefined {
  for (const entry of routes) {
    if (entry.methods && !entry.methods.has(method)) continue;
    const params = entry.route.match(path);
    if (params) return { entry, params };
  }
  return undefined;
}

export function requestKey(req: HostRequest): string | undefined {
  return req.headers['x-functions-key'] || req.url.searchParams.get('code') || undefined;
}

function queryRecord(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

function httpOutput(fn: FunctionRegistration, result: InvocationResult): RpcHttpData | undefined {
  if (fn.bindings.$return?.type === 'http') return result.returnValue?.http;
  for (const out of result.outputData) if (fn.bindings[out.name]?.type === 'http') return out.data.http;
  return undefined;
}

export interface HttpTriggerOptions {
  app: LoadedApp;
  routes: readonly HttpFunctionRoute[];
  keys: HostKeys;
  logger: Logger;
}

export function createHttpTriggerHandler(options: HttpTriggerOptions): RouteHandler {
  const { app, routes, keys, logger } = options;
  return async (req: HostRequest): Promise<HostResponse | undefined> => {
    const found = findRoute(routes, req.method, req.url.pathname);
    if (!found) return undefined;
    const { entry, params } = found;
    if (!keyGrants(keys, entry.authLevel, requestKey(req))) return textResponse(401, 'Unauthorized.');
    try {
      const result = await app.invoke({
        functionName: entry.fn.name,
        triggerData: {
          http: {
            method: req.method,
            url: req.url.href,
            headers: req.headers,
            body: { bytes: new Uint8Array(req.body) },
            params,
            query: queryRecord(req.url),
          },
        },
      });
      return toHostResponse(httpOutput(entry.fn, result));
    } catch (err) {
      logger.error({ function: entry.fn.name, error: redactSecrets(err instanceof Error ? err.message : String(err)) }, 'HTTP function failed');
      return { status: 500 };
    }
  };
}
