/**
 * The one way the `azureml` drivers reach a workspace: an @azure/arm-machinelearning client,
 * created on first use, plus raw JSON requests through the same pipeline (auth, retries) for the
 * bodies the 2.1.1 serializer mangles (job inputs/outputs lose `uri` and `mode`, protocols §4.4).
 * Every operation uses api-version 2025-12-01, the newest complete stable specification.
 * Errors come out as AmlSchedErrors prefixed `azureml:`, with secrets redacted.
 */
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import {
  bearerTokenAuthenticationPolicyName, createHttpHeaders, createPipelineRequest, isRestError, type HttpMethods,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { type AmlSchedError, NotFoundError, ServiceError, ValidationError, redactSecrets } from '../errors';
import { createAzureCredential } from './credential';
import type { AzureMlSettings } from './settings';

export const AML_API_VERSION = '2025-12-01';

export interface RestResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class AzureMlWorkspace {
  private sdkClient: AzureMachineLearningWorkspaces | undefined;

  constructor(readonly settings: AzureMlSettings, private readonly credential?: TokenCredential) {}

  get resourceGroup(): string { return this.settings.resourceGroup; }
  get workspace(): string { return this.settings.workspace; }

  /** ARM id of the workspace, or of something inside it (`computes/cpu`, `codes/c/versions/1`). */
  armId(child?: string): string {
    const { subscriptionId, resourceGroup, workspace } = this.settings;
    const ws = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspace}`;
    return child ? `${ws}/${child}` : ws;
  }

  get sdk(): AzureMachineLearningWorkspaces {
    if (!this.sdkClient) this.sdkClient = this.createClient();
    return this.sdkClient;
  }

  private get insecure(): boolean {
    return this.settings.endpoint.startsWith('http://');
  }

  private createClient(): AzureMachineLearningWorkspaces {
    const credential = this.credential ?? createAzureCredential(this.settings);
    const { endpoint } = this.settings;
    const client = new AzureMachineLearningWorkspaces(credential, this.settings.subscriptionId, {
      $host: endpoint, endpoint, apiVersion: AML_API_VERSION, allowInsecureConnection: this.insecure,
    });
    if (this.insecure) {
      // The bearer policy refuses http:// (protocols §4.5); a loopback fake gets the token by hand.
      client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
      client.pipeline.addPolicy({
        name: 'amlschedLoopbackAuth',
        sendRequest: async (request, next) => {
          const token = await credential.getToken(`${endpoint}/.default`);
          if (token) request.headers.set('authorization', `Bearer ${token.token}`);
          return next(request);
        },
      });
    }
    return client;
  }

  /** A JSON request to `path` under the workspace (`jobs/x`); non-2xx answers throw. */
  async rest(what: string, method: HttpMethods, path: string, body?: unknown): Promise<RestResponse> {
    const url = `${this.settings.endpoint}${this.armId(path)}?api-version=${AML_API_VERSION}`;
    const request = createPipelineRequest({
      url, method, allowInsecureConnection: this.insecure,
      headers: createHttpHeaders(body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let response;
    try {
      response = await this.sdk.sendRequest(request);
    } catch (err) {
      throw toAmlError(what, err);
    }
    const text = response.bodyAsText ?? '';
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (response.status >= 400) throw httpError(what, response.status, parsed);
    return { status: response.status, body: parsed, headers: response.headers.toJSON() };
  }

  /** Runs an SDK call, turning its failures into AmlSchedErrors. */
  async call<T>(what: string, fn: (client: AzureMachineLearningWorkspaces) => Promise<T>): Promise<T> {
    try {
      return await fn(this.sdk);
    } catch (err) {
      throw toAmlError(what, err);
    }
  }

  /** Like `call`, but a 404 answers undefined. */
  async find<T>(what: string, fn: (client: AzureMachineLearningWorkspaces) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(what, fn);
    } catch (err) {
      if ((err as AmlSchedError).code === 'aml_not_found') return undefined;
      throw err;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function httpError(what: string, status: number, body: unknown): AmlSchedError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const detail = error ? `${error.code ?? 'Error'}: ${error.message ?? ''}` : typeof body === 'string' ? body.slice(0, 300) : '';
  const message = redactSecrets(`azureml: ${what} failed: HTTP ${status}${detail ? ` ${detail}` : ''}`);
  const details = { status, ...(error?.code ? { serviceCode: error.code } : {}) };
  if (status === 404) return new NotFoundError('aml_not_found', message, { details });
  if (status === 400 || status === 409 || status === 422) return new ValidationError('aml_rejected', message, { details });
  if (status === 401 || status === 403) return new ServiceError('aml_unauthorized', message, { details, nonRetryable: true });
  return new ServiceError('aml_unavailable', message, { details });
}

export function toAmlError(what: string, err: unknown): AmlSchedError {
  if (isRestError(err) && err.statusCode !== undefined) {
    const body = err.response?.bodyAsText ? safeJson(err.response.bodyAsText) : { error: { code: err.code, message: err.message } };
    return httpError(what, err.statusCode, body);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ServiceError('aml_unavailable', redactSecrets(`azureml: ${what} failed: ${message}`), { cause: err });
}
