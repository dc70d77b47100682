/** Data assets: `GET /api/data[?name=]` lists versions, `POST /api/data` creates one (as `az ml data create`). */
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { parseJsonText, parseWith, queryObject } from '../../shared/api/body';
import type { ListPage } from '../../shared/api/contracts';
import { apiHandler, json } from '../../shared/api/respond';
import { nextIntegerVersion } from '../../shared/api/versions';
import { datastoreUri, parseDatastoreUri } from '../../shared/datastore/types';
import { AmlSchedError, NotFoundError } from '../../shared/errors';
import type { DataVersion } from '../../shared/registry/types';
import { getServices } from '../../shared/config/services';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

const createBody = z.object({
  name: z.string().regex(NAME, 'expected letters, digits, _ . - (starting with a letter or digit)'),
  version: z.union([z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected letters, digits, _ . -'), z.number().int().nonnegative()]).optional(),
  type: z.enum(['uri_file', 'uri_folder', 'mltable']),
  path: z.string().refine((p) => parseDatastoreUri(p) !== undefined, 'expected azureml://datastores/NAME/paths/PATH (upload local files first)'),
  description: z.string().optional(),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
}).strict();

const listQuery = z.object({ name: z.string().regex(NAME, 'expected a data asset name').optional() });

async function list(request: HttpRequest) {
  const { name } = parseWith(listQuery, queryObject(request.query), 'query');
  const body: ListPage<DataVersion> = { value: await getServices().data.list(name) };
  return json(200, body);
}

async function create(request: HttpRequest) {
  const input = parseJsonText(createBody, await request.text());
  const { data, datastores } = getServices();
  const target = parseDatastoreUri(input.path)!;
  if (!datastores.names().includes(target.datastore)) {
    throw new NotFoundError('datastore_not_found', `body.path: datastore '${target.datastore}' does not exist (datastores: ${datastores.names().join(', ')})`, { path: 'body.path' });
  }
  const uri = datastoreUri(target.datastore, target.path);
  const version = input.version !== undefined ? String(input.version) : nextIntegerVersion((await data.list(input.name)).map((d) => d.version));
  const { version: stored, created } = await data.createOrGet({
    name: input.name,
    version,
    type: input.type,
    uri,
    tags: input.tags ?? {},
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
  if (!created && (stored.uri !== uri || stored.type !== input.type)) {
    throw new AmlSchedError('conflict', `data ${input.name}:${version} already exists with ${stored.type} ${stored.uri}; use a new version`, { kind: 'user', path: 'body.version' });
  }
  return json(created ? 201 : 200, stored);
}

app.http('dataList', { authLevel: 'function', methods: ['GET'], route: 'data', handler: apiHandler(list) });
app.http('dataCreate', { authLevel: 'function', methods: ['POST'], route: 'data', handler: apiHandler(create) });
