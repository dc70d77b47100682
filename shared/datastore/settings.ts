/**
 * The datastore registry built from app settings:
 * - `workspaceblobstore` (the default) → container `azureml-blobstore` in AzureWebJobsStorage's account;
 * - `AMLSCHED_DATASTORES` adds (or overrides) datastores as JSON:
 *   `{"raw": {"container": "raw-data", "connection": "RAW_STORAGE"}}` where `connection` names the
 *   setting holding the account (default AzureWebJobsStorage).
 * A connection setting is a connection string, or the identity-based form `<NAME>__blobServiceUri` /
 * `<NAME>__accountName` (with `<NAME>__clientId` for a user-assigned managed identity).
 */
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ConfigurationError } from '../errors';
import { BlobDatastore, type BlobConnection } from './blob';
import type { Datastore, DatastoreRegistry } from './types';

export const DEFAULT_DATASTORE = 'workspaceblobstore';
export const DEFAULT_CONTAINER = 'azureml-blobstore';
export const DATASTORES_SETTING = 'AMLSCHED_DATASTORES';
const STORAGE_SETTING = 'AzureWebJobsStorage';

type Settings = Record<string, string | undefined>;

export interface DatastoreDefinition {
  name: string;
  container: string;
  /** The setting that holds the account's connection. */
  connection: string;
}

/** Reads and checks the datastore definitions; throws a ConfigurationError naming the setting. */
export function datastoreDefinitions(settings: Settings): DatastoreDefinition[] {
  const definitions = new Map<string, DatastoreDefinition>([
    [DEFAULT_DATASTORE, { name: DEFAULT_DATASTORE, container: DEFAULT_CONTAINER, connection: STORAGE_SETTING }],
  ]);
  const raw = settings[DATASTORES_SETTING];
  if (raw !== undefined && raw.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new ConfigurationError(DATASTORES_SETTING, `is not valid JSON (${(err as Error).message}); expected {"name": {"container": "...", "connection": "SETTING"}}`);
    }
    if (!isRecord(parsed)) throw new ConfigurationError(DATASTORES_SETTING, 'must be a JSON object of datastore name → {"container", "connection"}');
    for (const [name, value] of Object.entries(parsed)) {
      if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) throw new ConfigurationError(DATASTORES_SETTING, `datastore name '${name}' must use letters, digits and underscores`);
      if (!isRecord(value) || typeof value.container !== 'string') {
        throw new ConfigurationError(DATASTORES_SETTING, `datastore '${name}' needs a "container" string`);
      }
      if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(value.container)) {
        throw new ConfigurationError(DATASTORES_SETTING, `datastore '${name}': '${value.container}' is not a valid container name (3-63 lowercase letters, digits, single hyphens)`);
      }
      if (value.connection !== undefined && typeof value.connection !== 'string') {
        throw new ConfigurationError(DATASTORES_SETTING, `datastore '${name}': "connection" must name a setting`);
      }
      definitions.set(name, { name, container: value.container, connection: value.connection ?? STORAGE_SETTING });
    }
  }
  return [...definitions.values()];
}

/** The connection a setting describes; throws a ConfigurationError when it is missing or malformed. */
export function connectionFromSetting(settings: Settings, setting: string): BlobConnection {
  const value = settings[setting];
  if (value !== undefined && value.trim() !== '') {
    if (/^UseDevelopmentStorage=true;?$/i.test(value.trim()) || /(AccountName|BlobEndpoint|SharedAccessSignature)=/i.test(value)) {
      return { connectionString: value };
    }
    throw new ConfigurationError(setting, 'is not a storage connection string (expected AccountName=...;AccountKey=... or BlobEndpoint=...)');
  }
  const serviceUri = settings[`${setting}__blobServiceUri`]
    ?? (settings[`${setting}__accountName`] ? `https://${settings[`${setting}__accountName`]}.blob.core.windows.net` : undefined);
  if (!serviceUri) throw new ConfigurationError(setting, `is not set (give a connection string, or ${setting}__blobServiceUri / ${setting}__accountName for a managed identity)`);
  if (!/^https?:\/\/[^\s/]+/.test(serviceUri)) throw new ConfigurationError(`${setting}__blobServiceUri`, `'${serviceUri}' is not a URL`);
  const clientId = settings[`${setting}__clientId`];
  const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  return { accountUrl: serviceUri, credential };
}

export class StaticDatastoreRegistry implements DatastoreRegistry {
  private readonly stores: Map<string, Datastore>;
  constructor(stores: Datastore[], readonly defaultName: string = DEFAULT_DATASTORE) {
    this.stores = new Map(stores.map((store) => [store.name, store]));
    if (!this.stores.has(defaultName)) throw new ConfigurationError(DATASTORES_SETTING, `the default datastore '${defaultName}' is not defined`);
  }

  get(name: string): Datastore {
    const store = this.stores.get(name);
    if (!store) {
      throw new ConfigurationError(DATASTORES_SETTING, `datastore '${name}' is not defined (known: ${this.names().join(', ')})`);
    }
    return store;
  }

  byContainer(accountName: string, container: string): Datastore | undefined {
    return [...this.stores.values()].find((store) =>
      store.container === container && store.accountName === accountName);
  }

  names(): string[] {
    return [...this.stores.keys()].sort();
  }
}

/** Builds the registry from settings (process.env by default). */
export function createDatastoreRegistry(settings: Settings = process.env): StaticDatastoreRegistry {
  const stores = datastoreDefinitions(settings).map((definition) => new BlobDatastore({
    name: definition.name,
    container: definition.container,
    connection: connectionFromSetting(settings, definition.connection),
  }));
  return new StaticDatastoreRegistry(stores);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
