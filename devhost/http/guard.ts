import type { HostRequest } from './types';

/**
 * Refuses requests that a browser could be tricked into sending to this local port: a Host
 * header that is not a loopback name with our port (DNS rebinding), an Origin from another
 * site, or `Sec-Fetch-Site: cross-site` (cross-site requests to a port that can run commands).
 */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostAndPort(value: string): { host: string; port: string } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value.trim().toLowerCase());
  if (!match || !match[1]) return undefined;
  return { host: match[1], port: match[2] ?? '80' };
}

export interface GuardOptions {
  port: number;
  /** Extra host names accepted (the bind address when it is not loopback). */
  extraHosts?: readonly string[];
}

/** Returns why the request is refused, or undefined when it may proceed. */
export function refuseReason(req: Pick<HostRequest, 'headers'>, options: GuardOptions): string | undefined {
  const allowed = new Set([...LOOPBACK_NAMES, ...(options.extraHosts ?? []).map((h) => h.toLowerCase())]);
  const ok = (value: string) => {
    const hp = hostAndPort(value);
    return hp !== undefined && allowed.has(hp.host) && hp.port === String(options.port);
  };
  const host = req.headers.host;
  if (!host || !ok(host)) return 'Host header is not this local host';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      originHost = url.protocol === 'http:' ? url.host || undefined : undefined;
    } catch {
      originHost = undefined;
    }
    if (!originHost || !ok(originHost)) return 'cross-origin requests are refused';
  } else if (origin === 'null') {
    return 'cross-origin requests are refused';
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site requests are refused';
  return undefined;
}
