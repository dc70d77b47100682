/**
 * Settings of the Azure ML workspace the `azureml` drivers talk to.
 * AML_SUBSCRIPTION_ID, AML_RESOURCE_GROUP, AML_WORKSPACE: the workspace (required).
 * AML_CLIENT_ID (or AZURE_CLIENT_ID): a user-assigned managed identity; absent → DefaultAzureCredential.
 * AML_ENDPOINT: replaces https://management.azure.com; only for tests and the local Azure-path
 *   end-to-end runs against a fake, so it must be a loopback address.
 */
import { ConfigurationError } from '../errors';

export const ARM_ENDPOINT = 'https://management.azure.com';

export interface AzureMlSettings {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  clientId?: string;
  /** Base URL of the ARM API; ARM_ENDPOINT unless overridden by AML_ENDPOINT. */
  endpoint: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackEndpoint(endpoint: string): boolean {
  return LOOPBACK.has(new URL(endpoint).hostname);
}

export function readAzureMlSettings(env: NodeJS.ProcessEnv = process.env): AzureMlSettings {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigurationError(name, 'is required when AMLSCHED_COMPUTE=azureml (the Azure ML workspace to run jobs in)');
    return value;
  };
  const settings: AzureMlSettings = {
    subscriptionId: required('AML_SUBSCRIPTION_ID'),
    resourceGroup: required('AML_RESOURCE_GROUP'),
    workspace: required('AML_WORKSPACE'),
    endpoint: ARM_ENDPOINT,
  };
  const clientId = (env.AML_CLIENT_ID ?? env.AZURE_CLIENT_ID)?.trim();
  if (clientId) settings.clientId = clientId;
  const endpoint = env.AML_ENDPOINT?.trim();
  if (endpoint) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigurationError('AML_ENDPOINT', `'${endpoint}' is not a URL`);
    }
    if (!isLoopbackEndpoint(endpoint)) throw new ConfigurationError('AML_ENDPOINT', 'may only point at a loopback address (a local fake of the Azure ML API); leave it unset for Azure');
    settings.endpoint = url.origin;
  }
  return settings;
}
