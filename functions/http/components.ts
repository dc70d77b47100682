/** `POST /api/components`: register a component YAML (as a JSON object), create-or-get by name and version. */
import { isDeepStrictEqual } from 'node:util';
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { parseJsonText } from '../../shared/api/body';
import { apiHandler, json } from '../../shared/api/respond';
import { nextIntegerVersion } from '../../shared/api/versions';
import { AmlSchedError } from '../../shared/errors';
import { getServices } from '../../shared/config/services';

const component = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_.-]{0,254}$/i, 'expected letters, digits, _ . -'),
  version: z.union([z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected letters, digits, _ . -'), z.number().nonnegative()]).optional(),
  type: z.enum(['command', 'parallel', 'pipeline'], { message: "expected 'command', 'parallel' or 'pipeline' (other component types are not run by this product)" }).default('command'),
  command: z.string().min(1).optional(),
  code: z.string().min(1).refine((c) => /^(azureml:|https?:\/\/)/.test(c), 'expected an azureml:// URI or azureml:NAME:VERSION (upload local code first)').optional(),
}).passthrough().superRefine((c, ctx) => {
  if (c.type === 'command' && c.command === undefined) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command component needs a command' });
  if (c.type === 'pipeline' && c.jobs === undefined) ctx.addIssue({ code: 'custom', path: ['jobs'], message: 'a pipeline component needs jobs' });
});

const body = z.object({ component }).strict();

async function create(request: HttpRequest) {
  const { component: spec } = parseJsonText(body, await request.text());
  const { components } = getServices();
  const version = spec.version !== undefined ? String(spec.version) : nextIntegerVersion((await components.list(spec.name)).map((c) => c.version));
  const stored = { ...spec, version } as Record<string, unknown>;
  const { component: registered, created } = await components.createOrGet(spec.name, version, stored);
  if (!created && !isDeepStrictEqual(registered.spec, stored)) {
    throw new AmlSchedError('conflict', `component ${spec.name}:${version} already exists with a different definition; use a new version`, { kind: 'user', path: 'body.component.version' });
  }
  return json(created ? 201 : 200, registered);
}

app.http('componentsCreate', { authLevel: 'function', methods: ['POST'], route: 'components', handler: apiHandler(create) });
