/**
 * Where the Azure Table state store lives, from the Functions storage setting:
 *   AzureWebJobsStorage                      a connection string (account key or SAS; Azurite's too), or
 *   AzureWebJobsStorage__tableServiceUri     the identity-based form (Azure: managed identity), or
 *   AzureWebJobsStorage__accountName         → https://<account>.table.core.windows.net,
 *   AzureWebJobsStorage__clientId            a user-assigned managed identity (else DefaultAzureCredential).
 * A missing or malformed value is a ConfigurationError naming the setting.
 */
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfigurationError } from '../errors';

export const STATE_STORAGE_SETTING = 'AzureWebJobsStorage';

type Settings = Record<string, string | undefined>;

/** Makes the TableClient of one (already sanitized) table name. */
export type TableClientFactory = (tableName: string) => TableClient;

export function tableClientFactory(settings: Settings, setting: string = STATE_STORAGE_SETTING): TableClientFactory {
  const value = settings[setting]?.trim();
  if (value) return fromConnectionString(value, setting);
  const uriSetting = `${setting}__tableServiceUri`;
  const accountName = settings[`${setting}__accountName`]?.trim();
  const serviceUri = settings[uriSetting]?.trim() || (accountName ? `https://${accountName}.table.core.windows.net` : undefined);
  if (!serviceUri) throw new ConfigurationError(setting, `is not set (give a connection string, or ${uriSetting} / ${setting}__accountName for a managed identity)`);
  let url: URL;
  try {
    url = new URL(serviceUri);
  } catch {
    throw new ConfigurationError(accountName ? `${setting}__accountName` : uriSetting, `'${serviceUri}' is not a valid table service URL`);
  }
  if (url.protocol !== 'https:') throw new ConfigurationError(uriSetting, `'${serviceUri}' must be an https:// URL (tokens are only sent over TLS)`);
  const clientId = settings[`${setting}__clientId`]?.trim();
  const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  const base = url.href.replace(/\/$/, '');
  return (tableName) => new TableClient(base, tableName, credential);
}

function fromConnectionString(value: string, setting: string): TableClientFactory {
  const make = (tableName: string, insecure: boolean): TableClient =>
    TableClient.fromConnectionString(value, tableName, { allowInsecureConnection: insecure });
  let probe: TableClient;
  try {
    probe = make('probe', false);
  } catch (err) {
    throw new ConfigurationError(setting, `is not a usable table storage connection string (${(err as Error).message}); expected AccountName=...;AccountKey=...;DefaultEndpointsProtocol=... with a TableEndpoint when not in Azure`);
  }
  // Azurite and other local emulators answer over plain HTTP.
  const insecure = probe.url.startsWith('http:');
  return (tableName) => make(tableName, insecure);
}
