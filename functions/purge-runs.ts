/** Hourly timer purging finished runs older than AMLSCHED_RUN_RETENTION_DAYS. */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/config/services';
import { purgeFinishedRuns } from './maintenance/purge-runs';

const clientInput = df.input.durableClient();

app.timer('purgeRuns', {
  schedule: '0 17 * * * *',
  extraInputs: [clientInput],
  handler: async (_timer, context) => {
    const { state, settings } = getServices();
    const cutoff = new Date(Date.now() - settings.retentionDays * 86_400_000);
    const result = await purgeFinishedRuns(df.getClient(context), state, cutoff);
    if (result.runs.length > 0) context.log(`purgeRuns: purged ${result.runs.length} runs (${result.instances} instances) older than ${cutoff.toISOString()}`);
  },
});
