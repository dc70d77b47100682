/**
 * Activity payloads as the Durable extension encodes them (protocols §2.7–2.8).
 */
import type { RpcTypedData } from '../functions/types';

/**
 * The activity's trigger value from its scheduled input (JSON text). Production sends strings as raw
 * text and everything else as JSON text, both as `{string}`; the library then JSON-parses with a
 * fallback, so numeric-looking strings arrive as numbers there too (durable-js #215). Kept on purpose.
 */
export function encodeActivityInput(inputText: string | null): RpcTypedData {
  if (inputText === null) return {};
  const value: unknown = JSON.parse(inputText);
  return { string: typeof value === 'string' ? value : inputText };
}

/** `TaskCompleted.Result` (JSON text, or null) from the invocation's return value. */
export function activityResultText(returnValue: RpcTypedData | undefined): string | null {
  if (!returnValue) return null;
  if (returnValue.json !== undefined) return returnValue.json;
  if (returnValue.string !== undefined) return JSON.stringify(returnValue.string);
  if (returnValue.int !== undefined) return String(returnValue.int);
  if (returnValue.double !== undefined) return String(returnValue.double);
  if (returnValue.bytes !== undefined) return JSON.stringify(Buffer.from(returnValue.bytes).toString('base64'));
  return null;
}

/** `TaskFailed` fields: both strings always present, or the library cannot rebuild the error. */
export function activityFailure(name: string, err: unknown): { Reason: string; Details: string } {
  const message = err instanceof Error ? err.message : String(err);
  const details = err instanceof Error ? (err.stack ?? '') : '';
  return { Reason: `Activity function '${name}' failed: ${message}`, Details: details };
}
