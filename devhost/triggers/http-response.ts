import type { RpcHttpData, RpcTypedData } from '../functions/types';
import type { HostResponse } from '../http/types';

/** Converts the HTTP output of an invocation (`RpcHttpData`) back into a response, as the host does. */
interface RpcCookie {
  name?: string;
  value?: string;
  domain?: { value?: string };
  path?: { value?: string };
  expires?: { value?: { seconds?: number } };
  secure?: { value?: boolean };
  httpOnly?: { value?: boolean };
  sameSite?: string;
  maxAge?: { value?: number };
}

export function typedDataToBuffer(data: RpcTypedData | undefined): Buffer | undefined {
  if (!data) return undefined;
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (data.string !== undefined) return Buffer.from(data.string);
  if (data.json !== undefined) return Buffer.from(data.json);
  if (data.int !== undefined) return Buffer.from(String(data.int));
  if (data.double !== undefined) return Buffer.from(String(data.double));
  return undefined;
}

function setCookie(cookie: RpcCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  if (cookie.expires?.value?.seconds !== undefined) parts.push(`Expires=${new Date(cookie.expires.value.seconds * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  // The library sends 'none' when the user set nothing; only explicit values are emitted.
  const sameSite = String(cookie.sameSite ?? '').toLowerCase();
  if (sameSite === 'lax') parts.push('SameSite=Lax');
  else if (sameSite === 'strict') parts.push('SameSite=Strict');
  else if (sameSite === 'explicitnone') parts.push('SameSite=None');
  return parts.join('; ');
}

export function toHostResponse(http: RpcHttpData | undefined): HostResponse {
  // The Node worker leaves the response empty when the handler returned nothing.
  if (!http) return { status: 204 };
  const status = Number(http.statusCode ?? 200);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(http.headers ?? {})) headers[name.toLowerCase()] = value;
  const cookies = (http.cookies ?? []) as RpcCookie[];
  if (cookies.length) headers['set-cookie'] = cookies.map(setCookie);
  return { status: Number.isInteger(status) && status >= 100 && status <= 999 ? status : 500, headers, body: typedDataToBuffer(http.body) };
}
