/**
 * Published pipelines: `PUT /api/pipelines/{name}` stores a bundle as a version named by its
 * content hash (the same content gives the same version); `POST /api/pipelines/{name}/runs`
 * starts the latest (or a given) version, and the run pins it.
 */
import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { parseJsonText } from '../../shared/api/body';
import { PipelinesStore } from '../../shared/api/pipelines-store';
import { apiHandler, json } from '../../shared/api/respond';
import { getServices } from '../../shared/config/services';
import { NotFoundError, ValidationError } from '../../shared/errors';
import type { PipelineBundle } from '../../shared/spec/bundle';
import { canonicalJson, sha256Hex } from '../../shared/spec/canonical';
import { inputsSchema, planFromBundle, runSettingsSchema, startFromBundle } from './run-start';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

const publishBody = z.object({ bundle: z.unknown().refine((b) => b !== undefined, 'a pipeline bundle is required') }).strict();

const runBody = z.object({
  version: z.string().min(1).optional(),
  inputs: inputsSchema,
  settings: runSettingsSchema,
}).strict();

/** Version = content hash of the canonical bundle (files and entry), 16 hex digits. */
export function bundleVersion(bundle: PipelineBundle): string {
  return sha256Hex(canonicalJson({ entry: bundle.entry, files: bundle.files, directories: [...(bundle.directories ?? [])].sort() })).slice(0, 16);
}

function pipelineName(request: HttpRequest): string {
  const name = request.params.name ?? '';
  if (!NAME.test(name)) throw new ValidationError('invalid_request', `name: '${name}' must be letters, digits, _ . - (at most 255)`, { path: 'name' });
  return name;
}

async function publish(request: HttpRequest) {
  const name = pipelineName(request);
  const input = parseJsonText(publishBody, await request.text());
  const services = getServices();
  const { bundle, plan } = await planFromBundle(input.bundle, 'body.bundle', services);
  const version = bundleVersion(bundle);
  const { pipeline, created } = await new PipelinesStore<PipelineBundle>(services.state).publish(name, version, bundle);
  const url = `${new URL(request.url).origin}/api/pipelines/${encodeURIComponent(name)}`;
  return json(created ? 201 : 200, {
    name,
    version,
    createdTime: pipeline.createdTime,
    entry: bundle.entry,
    inputs: Object.keys(plan.inputs),
    steps: plan.steps.map((s) => s.name),
    links: { runs: `${url}/runs` },
  }, { location: url });
}

async function runPublished(request: HttpRequest, context: InvocationContext) {
  const name = pipelineName(request);
  const input = parseJsonText(runBody, await request.text(), { emptyAsObject: true });
  const services = getServices();
  const published = await new PipelinesStore<PipelineBundle>(services.state).get(name, input.version);
  if (!published) {
    throw new NotFoundError('pipeline_not_found', input.version ? `pipeline '${name}' has no version '${input.version}'` : `pipeline '${name}' is not published`, { path: input.version ? 'body.version' : 'name' });
  }
  const { bundle, plan } = await planFromBundle(published.bundle, 'bundle', services);
  return startFromBundle(request, context, {
    bundle,
    plan: { ...plan, name },
    inputs: input.inputs ?? {},
    settings: input.settings,
    pipelineVersion: published.version,
  });
}

app.http('pipelinesPublish', { authLevel: 'function', methods: ['PUT'], route: 'pipelines/{name}', handler: apiHandler(publish) });
app.http('pipelinesRun', { authLevel: 'function', methods: ['POST'], route: 'pipelines/{name}/runs', extraInputs: [df.input.durableClient()], handler: apiHandler(runPublished) });
