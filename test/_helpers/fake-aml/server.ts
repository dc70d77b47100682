/**
 * A loopback fake of the Azure ML workspace REST API (api-version 2025-12-01) that the real
 * @azure/arm-machinelearning client talks to over HTTP. Every request is matched to its operation
 * in the published spec and validated against it (path, query, body); every answer is built from
 * the spec's example response for that operation (ids, names and properties adjusted) and is
 * validated too. It keeps state (jobs, data/code/environment/component versions), runs the cancel
 * LRO through a Location header, and records everything for assertions.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SpecOperations, type MatchedOperation } from '../swagger/operations';
import { SwaggerValidator, type Violation } from '../swagger/validator';

export const FAKE_API_VERSION = '2025-12-01';
const SPEC_FILES = ['2025-12-01/mfe.json'];

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  operationId?: string;
  status: number;
  /** What the spec says is wrong with the request, or with the fake's own answer. */
  violations: Violation[];
}

type Json = Record<string, unknown>;
type AssetKind = 'data' | 'codes' | 'environments' | 'components';
interface Reply { status: number; body?: unknown; headers?: Record<string, string> }

const RESOURCE_TYPES: Record<AssetKind, string> = {
  data: 'Microsoft.MachineLearningServices/workspaces/data/versions',
  codes: 'Microsoft.MachineLearningServices/workspaces/codes/versions',
  environments: 'Microsoft.MachineLearningServices/workspaces/environments/versions',
  components: 'Microsoft.MachineLearningServices/workspaces/components/versions',
};

const EXAMPLE_FILES: Record<string, string> = {
  job: 'Job/CommandJob/get.json',
  data: 'Workspace/DataVersionBase/createOrUpdate.json',
  codes: 'Workspace/CodeVersion/createOrUpdate.json',
  environments: 'Workspace/EnvironmentVersion/createOrUpdate.json',
  components: 'Workspace/ComponentVersion/createOrUpdate.json',
  datastore: 'Datastore/get.json',
};

export class FakeAml {
  readonly subscriptionId = '00000000-1111-2222-3333-444444444444';
  readonly resourceGroup = 'test-rg';
  readonly workspace = 'my-aml-workspace';
  readonly requests: RecordedRequest[] = [];
  readonly jobs = new Map<string, Json>();
  readonly assets: Record<AssetKind, Map<string, Map<string, Json>>> = { data: new Map(), codes: new Map(), environments: new Map(), components: new Map() };
  /** Called with each valid request before it is answered (to simulate concurrent writers). */
  beforeRoute?: (request: RecordedRequest) => void;
  /** Called after a job is created (events.ts's job runner starts "running" it here). */
  onJobCreated?: (name: string) => void;
  /** Cancel operations still pending: number of polls before they finish. */
  cancelPolls = 1;
  private readonly operations: SpecOperations;
  private readonly examples = new Map<string, Json>();
  private readonly pendingCancels = new Map<string, { job: string; polls: number }>();
  private clock = Date.parse('2025-01-01T00:00:00.000Z');
  private server?: http.Server;
  endpoint = '';

  constructor() {
    const validator = new SwaggerValidator();
    this.operations = new SpecOperations(validator, SPEC_FILES);
    for (const [key, file] of Object.entries(EXAMPLE_FILES)) {
      const example = JSON.parse(readFileSync(path.join(validator.files.root, '2025-12-01', 'examples', file), 'utf8')) as { responses: Record<string, { body: Json }> };
      const response = example.responses['200'] ?? example.responses['201'];
      if (!response) throw new Error(`example ${file} has no 200/201 response`);
      this.examples.set(key, response.body);
    }
  }

  /** Plain HTTP by default; HTTPS with `tls` (a certificate the client trusts through NODE_EXTRA_CA_CERTS). */
  static async start(tls?: { key: Buffer; cert: Buffer }): Promise<FakeAml> {
    const fake = new FakeAml();
    await fake.listen(tls);
    return fake;
  }

  /** Settings for the product's `azureml` drivers to reach this fake. */
  env(): NodeJS.ProcessEnv {
    return { AML_SUBSCRIPTION_ID: this.subscriptionId, AML_RESOURCE_GROUP: this.resourceGroup, AML_WORKSPACE: this.workspace, AML_ENDPOINT: this.endpoint };
  }

  get workspaceId(): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${this.workspace}`;
  }

  violations(): string[] {
    return this.requests.flatMap((r) => r.violations.map((v) => `${r.method} ${r.path} ${v.path}: ${v.message}`));
  }

  calls(method: string, operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.operationId === operationId);
  }

  setJobStatus(name: string, status: string, outputs?: Record<string, string>): void {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job ${name}`);
    const props = job.properties as Json;
    props.status = status;
    for (const [output, uri] of Object.entries(outputs ?? {})) ((props.outputs as Record<string, Json>)[output] ??= { jobOutputType: 'uri_folder' }).uri = uri;
  }

  /** Seeds an asset version as if someone else had created it. */
  seedVersion(kind: AssetKind, name: string, version: string, properties: Json): void {
    this.storeVersion(kind, name, version, properties);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private listen(tls: { key: Buffer; cert: Buffer } | undefined): Promise<void> {
    const handler: http.RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const reply = this.handle(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString('utf8'), req.headers.authorization);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
    };
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    return new Promise((resolve) => this.server!.listen(0, '127.0.0.1', () => {
      this.endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
      resolve();
    }));
  }

  private handle(method: string, rawUrl: string, text: string, authorization: string | undefined): Reply {
    const url = new URL(rawUrl, 'http://fake');
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, violations: [] };
    if (text) record.body = JSON.parse(text);
    this.requests.push(record);
    const finish = (reply: Reply, op?: MatchedOperation): Reply => {
      record.status = reply.status;
      if (op && reply.status < 400) record.violations.push(...this.operations.validateResponse(op, reply.status, reply.body).map((v) => ({ path: `response ${v.path}`, message: v.message })));
      return reply;
    };
    if (!/^Bearer \S+$/.test(authorization ?? '')) {
      record.violations.push({ path: 'header.authorization', message: 'no bearer token' });
      return finish(error(401, 'AuthenticationFailed', 'no bearer token'));
    }
    const pending = /^\/operations\/([^/]+)$/.exec(url.pathname);
    if (pending) return finish(this.pollCancel(pending[1] ?? ''));
    const op = this.operations.match(method, url.pathname);
    if (!op) {
      record.violations.push({ path: '(operation)', message: 'no operation in the spec for this method and path' });
      return finish(error(404, 'NoSuchOperation', `${method} ${url.pathname}`));
    }
    record.operationId = op.operationId;
    record.violations.push(...this.operations.validateRequest(op, url.searchParams, record.body));
    if (url.searchParams.get('api-version') !== FAKE_API_VERSION) record.violations.push({ path: 'query.api-version', message: `expected ${FAKE_API_VERSION}, got ${url.searchParams.get('api-version')}` });
    if (record.violations.length > 0) return finish(error(400, 'UserError', 'Request is invalid and/or missing fields.'));
    this.beforeRoute?.(record);
    return finish(this.route(op, url.searchParams, record.body as Json | undefined), op);
  }

  private route(op: MatchedOperation, query: URLSearchParams, body: Json | undefined): Reply {
    const p = op.params;
    const name = p.name ?? '';
    const version = p.version ?? '';
    const kind = /^(Data|Code|Environment|Component)(Versions|Containers)_/.exec(op.operationId);
    const assetKind = kind ? ({ Data: 'data', Code: 'codes', Environment: 'environments', Component: 'components' } as const)[kind[1] as 'Data'] : undefined;
    switch (op.operationId) {
      case 'Jobs_Get': {
        const job = this.jobs.get(p.id ?? '');
        return job ? { status: 200, body: job } : error(404, 'UserError', `job ${p.id} not found`);
      }
      case 'Jobs_CreateOrUpdate': return this.createJob(p.id ?? '', body ?? {});
      case 'Jobs_Cancel': {
        const job = this.jobs.get(p.id ?? '');
        if (!job) return error(404, 'UserError', `job ${p.id} not found`);
        (job.properties as Json).status = 'CancelRequested';
        const operation = `cancel-${this.pendingCancels.size + 1}`;
        this.pendingCancels.set(operation, { job: p.id ?? '', polls: this.cancelPolls });
        return { status: 202, headers: { location: `${this.endpoint}/operations/${operation}?api-version=${FAKE_API_VERSION}` } };
      }
      case 'Datastores_Get': return { status: 200, body: this.datastore(name) };
      default: break;
    }
    if (!assetKind) return error(501, 'NotImplemented', `${op.operationId} is not implemented by the fake`);
    if (op.operationId.endsWith('Versions_Get')) {
      const found = this.assets[assetKind].get(name)?.get(version);
      return found ? { status: 200, body: found } : error(404, 'UserError', `${assetKind} ${name}:${version} not found`);
    }
    if (op.operationId.endsWith('Versions_CreateOrUpdate')) {
      if (this.assets[assetKind].get(name)?.has(version)) return error(409, 'UserError', `${assetKind} ${name}:${version} exists and versions are immutable`);
      return { status: 201, body: this.storeVersion(assetKind, name, version, (body?.properties ?? {}) as Json) };
    }
    if (op.operationId.endsWith('Versions_List')) {
      let items = [...(this.assets[assetKind].get(name)?.values() ?? [])];
      const order = query.get('$orderBy');
      if (order === 'createdtime desc') items.sort((a, b) => createdAt(b) - createdAt(a));
      const top = query.get('$top');
      if (top) items = items.slice(0, Number(top));
      return { status: 200, body: { value: items } };
    }
    if (op.operationId.endsWith('Containers_List')) {
      const value = [...this.assets[assetKind].entries()].map(([container, versions]) => {
        const latest = [...versions.values()].sort((a, b) => createdAt(b) - createdAt(a))[0] ?? {};
        const properties: Json = { latestVersion: latest.name };
        if (assetKind === 'data') properties.dataType = (latest.properties as Json).dataType;
        return { id: `${this.workspaceId}/${assetKind}/${container}`, name: container, type: `Microsoft.MachineLearningServices/workspaces/${assetKind}`, properties };
      });
      return { status: 200, body: { value } };
    }
    return error(501, 'NotImplemented', `${op.operationId} is not implemented by the fake`);
  }

  private createJob(id: string, body: Json): Reply {
    if (this.jobs.has(id)) return error(409, 'UserError', `A job with name ${id} already exists.`);
    const example = structuredClone(this.examples.get('job')!);
    const now = this.tick();
    const job: Json = {
      ...example, id: `${this.workspaceId}/jobs/${id}`, name: id, type: 'Microsoft.MachineLearningServices/workspaces/jobs',
      properties: {
        ...(body.properties as Json), status: 'NotStarted',
        services: { Studio: { jobServiceType: 'Studio', endpoint: `https://ml.azure.com/runs/${id}?wsid=${this.workspaceId}` } },
      },
      systemData: { ...(example.systemData as Json), createdAt: now, lastModifiedAt: now },
    };
    this.jobs.set(id, job);
    this.onJobCreated?.(id);
    return { status: 201, body: job };
  }

  private pollCancel(operation: string): Reply {
    const pending = this.pendingCancels.get(operation);
    if (!pending) return error(404, 'NotFound', `operation ${operation}`);
    if (pending.polls > 0) {
      pending.polls -= 1;
      return { status: 202, headers: { location: `${this.endpoint}/operations/${operation}?api-version=${FAKE_API_VERSION}` } };
    }
    const job = this.jobs.get(pending.job);
    if (job) (job.properties as Json).status = 'Canceled';
    return { status: 200 };
  }

  private storeVersion(kind: AssetKind, name: string, version: string, properties: Json): Json {
    const example = structuredClone(this.examples.get(kind)!);
    const now = this.tick();
    const readOnly: Json = kind === 'environments' ? { environmentType: 'UserCreated' } : {};
    const resource: Json = {
      ...example, id: `${this.workspaceId}/${kind}/${name}/versions/${version}`, name: version, type: RESOURCE_TYPES[kind],
      properties: { ...readOnly, ...properties },
      systemData: { ...(example.systemData as Json), createdAt: now, lastModifiedAt: now },
    };
    if (!this.assets[kind].has(name)) this.assets[kind].set(name, new Map());
    this.assets[kind].get(name)!.set(version, resource);
    return resource;
  }

  private datastore(name: string): Json {
    const example = structuredClone(this.examples.get('datastore')!);
    return {
      ...example, id: `${this.workspaceId}/datastores/${name}`, name, type: 'Microsoft.MachineLearningServices/workspaces/datastores',
      properties: { ...(example.properties as Json), accountName: 'fakeaccount', containerName: `azureml-${name}`, isDefault: name === 'workspaceblobstore' },
    };
  }

  /** A strictly increasing clock, so "newest first" is well defined. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}

function createdAt(resource: Json): number {
  return Date.parse(String((resource.systemData as Json | undefined)?.createdAt ?? 0));
}

function error(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}
