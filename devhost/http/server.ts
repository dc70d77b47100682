import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { refuseReason } from './guard';
import { type HostRequest, type HostResponse, textResponse } from './types';

/**
 * The host's HTTP listener, on plain node:http: every route needs the raw body bytes, the
 * exact headers and a loopback guard in front of everything, and route matching follows the
 * Functions host's own template rules, so a framework router would add little.
 */
export interface HostServerOptions {
  bindHost: string;
  port: number;
  logger: Logger;
  handle: (req: HostRequest) => Promise<HostResponse>;
  /** The Functions host refuses request bodies over 100 MB. */
  maxBodyBytes?: number;
}

export interface HostServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(res: http.ServerResponse, response: HostResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.end(response.body ?? undefined);
}

export function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const limit = options.maxBodyBytes ?? 100 * 1024 * 1024;
  const extraHosts = LOOPBACK.has(options.bindHost) ? [] : [options.bindHost];
  let port = options.port;

  const server = http.createServer((req, res) => {
    void (async () => {
      const headers = flatHeaders(req);
      const refused = refuseReason({ headers }, { port, extraHosts });
      if (refused) {
        send(res, textResponse(403, `Forbidden: ${refused}.`));
        req.resume();
        return;
      }
      if (!req.url?.startsWith('/')) {
        // Absolute-form targets (proxy requests) would name another host than the one checked.
        send(res, textResponse(400, 'Bad request target.'));
        req.resume();
        return;
      }
      const body = await readBody(req, limit);
      if (!body) {
        send(res, textResponse(413, 'Request body too large.'));
        return;
      }
      const url = new URL(req.url ?? '/', `http://${headers.host}`);
      const started = performance.now();
      const response = await options.handle({ method: (req.method ?? 'GET').toUpperCase(), url, headers, body, remoteAddress: req.socket.remoteAddress });
      send(res, response);
      // The path only: queries may carry keys (`code=`).
      options.logger.debug({ method: req.method, path: url.pathname, status: response.status, ms: Math.round(performance.now() - started) }, 'request');
    })().catch((err: unknown) => {
      options.logger.error({ err }, 'request failed in the host');
      if (!res.headersSent) send(res, textResponse(500, 'Internal host error.'));
      else res.destroy();
    });
  });
  // Longer than Node's client keep-alive (5 s), so a client never reuses a socket the host is closing.
  server.keepAliveTimeout = 65_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.bindHost, () => {
      server.removeListener('error', reject);
      port = (server.address() as AddressInfo).port;
      const hostPart = options.bindHost.includes(':') ? `[${options.bindHost}]` : options.bindHost;
      resolve({
        port,
        url: `http://${hostPart}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
