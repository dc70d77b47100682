/**
 * Registers the run activities. Their dependencies (drivers chosen by AMLSCHED_COMPUTE) are
 * resolved at the first invocation, not at load, so the app loads even before the local host
 * publishes its services.
 */
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { ACTIVITIES } from '../shared/run/names';
import { createActivities, signalCancel, type ActivityHandler } from './activities';

let handlers: Record<string, ActivityHandler> | undefined;

function handler(name: string): ActivityHandler {
  return (input) => {
    handlers ??= createActivities({ ...getServices(), clock: () => new Date() });
    const fn = handlers[name];
    if (!fn) throw new Error(`no activity ${name}`);
    return fn(input);
  };
}

for (const name of [ACTIVITIES.prepareStep, ACTIVITIES.pollJob, ACTIVITIES.completeStep, ACTIVITIES.cancelJob, ACTIVITIES.recordRun]) {
  df.app.activity(name, { handler: handler(name) });
}

const clientInput = df.input.durableClient();
df.app.activity(ACTIVITIES.signalCancel, {
  extraInputs: [clientInput],
  handler: (input: unknown, context) => signalCancel(df.getClient(context), input as { instanceIds: string[] }),
});
