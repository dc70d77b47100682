/**
 * Registers the run activities. Their dependencies (drivers chosen by AMLSCHED_COMPUTE) are
 * resolved at the first invocation, not at load, so the app loads even before the local host
 * publishes its services.
 */
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { PARALLEL_ACTIVITIES } from '../shared/parallel/types';
import { ACTIVITIES } from '../shared/run/names';
import { CLIENT_ACTIVITIES, createActivities, type ActivityHandler } from './activities';

let handlers: Record<string, ActivityHandler> | undefined;

for (const name of [...Object.values(ACTIVITIES), ...Object.values(PARALLEL_ACTIVITIES)]) {
  const needsClient = CLIENT_ACTIVITIES.includes(name);
  df.app.activity(name, {
    ...(needsClient ? { extraInputs: [df.input.durableClient()] } : {}),
    handler: (input: unknown, context) => {
      handlers ??= createActivities({ ...getServices(), clock: () => new Date() });
      const fn = handlers[name];
      if (!fn) throw new Error(`no activity ${name}`);
      return fn(input, needsClient ? df.getClient(context) : undefined);
    },
  });
}
