import { ConfigurationError } from '../../shared/errors';
import type { EventGridSubscription } from './eventgrid-publisher';

/**
 * Local Event Grid subscriptions, the counterpart of the app's Azure subscriptions (e.g. in its
 * Bicep), from the app setting AMLSCHED_EVENTGRID_SUBSCRIPTIONS: a JSON object of function name →
 * included event types, or → `{ includedEventTypes?, subjectBeginsWith?, subjectEndsWith? }`.
 *   {"amlJobEvents": ["Microsoft.MachineLearningServices.RunCompleted"], "blobCreated": ["Microsoft.Storage.BlobCreated"]}
 * Unset: every Event Grid function receives every published event.
 */
export const SUBSCRIPTIONS_SETTING = 'AMLSCHED_EVENTGRID_SUBSCRIPTIONS';

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

export function parseSubscriptions(raw: string | undefined, eventGridFunctions: readonly string[]): EventGridSubscription[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ConfigurationError(SUBSCRIPTIONS_SETTING, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(SUBSCRIPTIONS_SETTING, 'must be a JSON object of function name → event types');
  }
  return Object.entries(parsed).map(([functionName, value]): EventGridSubscription => {
    if (!eventGridFunctions.includes(functionName)) {
      throw new ConfigurationError(SUBSCRIPTIONS_SETTING, `'${functionName}' is not an Event Grid function of the app (${eventGridFunctions.join(', ') || 'none'})`);
    }
    if (stringList(value)) return { functionName, includedEventTypes: value };
    const v = value as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null || Array.isArray(v)
      || (v.includedEventTypes !== undefined && !stringList(v.includedEventTypes))
      || (v.subjectBeginsWith !== undefined && typeof v.subjectBeginsWith !== 'string')
      || (v.subjectEndsWith !== undefined && typeof v.subjectEndsWith !== 'string')) {
      throw new ConfigurationError(SUBSCRIPTIONS_SETTING, `'${functionName}' needs a list of event types or { includedEventTypes, subjectBeginsWith, subjectEndsWith }`);
    }
    return {
      functionName,
      ...(v.includedEventTypes ? { includedEventTypes: v.includedEventTypes as string[] } : {}),
      ...(typeof v.subjectBeginsWith === 'string' ? { subjectBeginsWith: v.subjectBeginsWith } : {}),
      ...(typeof v.subjectEndsWith === 'string' ? { subjectEndsWith: v.subjectEndsWith } : {}),
    };
  });
}
