/**
 * The credential the `azureml` drivers use: a user-assigned managed identity when a client id is
 * set (Azure), DefaultAzureCredential otherwise (development: az login, environment, ...).
 * Against a loopback fake (AML_ENDPOINT) no real token is ever fetched or sent.
 */
import { type AccessToken, DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { type AzureMlSettings, isLoopbackEndpoint } from './settings';

export function createAzureCredential(settings: AzureMlSettings): TokenCredential {
  if (isLoopbackEndpoint(settings.endpoint)) return loopbackCredential;
  if (settings.clientId) return new ManagedIdentityCredential({ clientId: settings.clientId });
  return new DefaultAzureCredential();
}

/** A fixed, meaningless token for a local fake of the API. */
export const loopbackCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'loopback', expiresOnTimestamp: Date.now() + 3600_000 }),
};
