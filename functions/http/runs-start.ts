/** `POST /api/runs`: run a pipeline bundle carried in the body (`{ bundle, inputs?, settings? }`). */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { parseJsonText } from '../../shared/api/body';
import { apiHandler } from '../../shared/api/respond';
import { getServices } from '../../shared/config/services';
import { inputsSchema, planFromBundle, runSettingsSchema, startFromBundle } from './run-start';

const body = z.object({
  bundle: z.unknown().refine((b) => b !== undefined, 'a pipeline bundle is required'),
  inputs: inputsSchema,
  settings: runSettingsSchema,
}).strict();

async function handle(request: HttpRequest, context: InvocationContext) {
  const input = parseJsonText(body, await request.text());
  const { bundle, plan } = await planFromBundle(input.bundle, 'body.bundle', getServices());
  return startFromBundle(request, context, { bundle, plan, inputs: input.inputs ?? {}, settings: input.settings });
}

app.http('runsStart', { authLevel: 'function', methods: ['POST'], route: 'runs', extraInputs: [df.input.durableClient()], handler: apiHandler(handle) });
