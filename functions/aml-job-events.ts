/**
 * Event Grid trigger for Azure ML job events (RunCompleted, RunStatusChanged): raises each into
 * the step orchestration waiting for the job. In Azure an Event Grid subscription on the
 * workspace delivers here; the local Azure ML publishes the same events to the local host.
 */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { deliverJobEvent } from './events/job-events';

const clientInput = df.input.durableClient();

app.eventGrid('amlJobEvents', {
  extraInputs: [clientInput],
  handler: async (event, context) => {
    const outcome = await deliverJobEvent(df.getClient(context), getServices().state, event);
    if (outcome === 'unknown_job') context.log(`amlJobEvents: event ${event.id} for an unknown job recorded and dropped`);
  },
});
