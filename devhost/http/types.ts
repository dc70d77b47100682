/**
 * The host's own request/response shapes: small, fully buffered, and constructible in-process,
 * so the Event Grid publisher can deliver through the same handlers as a real HTTP request.
 */
export interface HostRequest {
  method: string;
  /** Absolute URL as the client addressed it. */
  url: URL;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The peer's address; undefined for in-process requests. */
  remoteAddress: string | undefined;
}

export interface HostResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

/** Answers a request, or returns undefined when the route is not its own. */
export type RouteHandler = (req: HostRequest) => Promise<HostResponse | undefined>;

export function jsonResponse(status: number, value: unknown, headers: Record<string, string | string[]> = {}): HostResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function textResponse(status: number, text: string, headers: Record<string, string | string[]> = {}): HostResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: text };
}
