/**
 * The minute timer of cron and recurrence schedules (and the backstop of blob schedules' batch
 * windows and queues): functions/triggers/tick.ts with the clock's time.
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { createTriggerDeps } from './triggers/deps';
import { tickSchedules } from './triggers/tick';

const clientInput = df.input.durableClient();

app.timer('scheduleTick', {
  schedule: '0 * * * * *',
  extraInputs: [clientInput],
  handler: async (_timer, context) => {
    const deps = createTriggerDeps(df.getClient(context), getServices());
    const result = await tickSchedules(deps, deps.now(), (message) => context.warn(`scheduleTick: ${message}`));
    if (result.started.length > 0) context.log(`scheduleTick: started ${result.started.join(', ')}`);
  },
});
