/**
 * One instance per batch window: a durable timer until the window closes, then the activity that
 * closes it and starts its run. Members join through the state store (the window row), not by
 * events, so a member that arrives while the host is down is still in the window when the timer
 * fires after the restart.
 */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { CLOSE_WINDOW_ACTIVITY, type BatchWindowInput } from './types';

export const batchWindowOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<BatchWindowInput>();
  const closesAt = new Date(input.closesAt);
  if (context.df.currentUtcDateTime < closesAt) yield context.df.createTimer(closesAt);
  return yield context.df.callActivity(CLOSE_WINDOW_ACTIVITY, input);
};
