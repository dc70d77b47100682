/** `POST /api/runs/purge` (`{ "olderThan": "30d" }`): delete finished runs that ended before then, as the retention timer does. */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { parseAge } from '../../shared/api/age';
import { parseJsonText } from '../../shared/api/body';
import { apiHandler, json } from '../../shared/api/respond';
import { getServices } from '../../shared/config/services';
import { purgeFinishedRuns } from '../maintenance/purge-runs';

const body = z.object({
  olderThan: z.string().refine((t) => parseAge(t) !== undefined, 'expected an age like 30d, 12h, 90m or an ISO-8601 duration (P30D)'),
}).strict();

async function purge(request: HttpRequest, context: InvocationContext) {
  const { olderThan } = parseJsonText(body, await request.text());
  const cutoff = new Date(Date.now() - parseAge(olderThan)!);
  const result = await purgeFinishedRuns(df.getClient(context), getServices().state, cutoff);
  return json(200, { purged: result.runs.length, runIds: result.runs, instances: result.instances, endedBefore: cutoff.toISOString() });
}

app.http('runsPurge', { authLevel: 'function', methods: ['POST'], route: 'runs/purge', extraInputs: [df.input.durableClient()], handler: apiHandler(purge) });
