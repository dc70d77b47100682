/**
 * The drivers the activities and functions use, chosen by AMLSCHED_COMPUTE and created once:
 *   local   → the local host's services (getLocalServices(), published by `amlsched dev`);
 *   azureml → the Azure ML drivers (compute, data and component registries), the state store in
 *             Azure Table storage (AzureWebJobsStorage or its identity-based form; inside
 *             `amlsched dev` that is the local host's Azurite), and the datastores: the local host's
 *             when there is one (Azurite as the workspace storage account), else from the
 *             datastore settings (shared/datastore/settings.ts).
 */
import { createAzureMlServices } from '../azure/services';
import type { ComputeBackend } from '../compute/types';
import { createDatastoreRegistry } from '../datastore/settings';
import type { DatastoreRegistry } from '../datastore/types';
import { getLocalServices, tryGetLocalServices } from '../local-services';
import type { ComponentRegistry, DataRegistry } from '../registry/types';
import { TableStateStore } from '../state/table';
import type { StateStore } from '../state/types';
import { readAppSettings, type AppSettings } from './settings';

export interface Services {
  settings: AppSettings;
  compute: ComputeBackend;
  datastores: DatastoreRegistry;
  data: DataRegistry;
  components: ComponentRegistry;
  state: StateStore;
}

let cached: Services | undefined;

/** The app's services, created on first call (so a bad setting fails the first invocation with its name). */
export function getServices(env: NodeJS.ProcessEnv = process.env): Services {
  cached ??= createServices(env);
  return cached;
}

/** Forgets the cached services (tests switching hosts in one process). */
export function resetServices(): void {
  cached = undefined;
}

export function createServices(env: NodeJS.ProcessEnv = process.env): Services {
  const settings = readAppSettings(env);
  if (settings.compute === 'local') return { settings, ...getLocalServices() };
  const azure = createAzureMlServices({ env });
  return {
    settings,
    compute: azure.compute,
    data: azure.data,
    components: azure.components,
    datastores: tryGetLocalServices()?.datastores ?? createDatastoreRegistry(env),
    state: TableStateStore.fromSettings(env),
  };
}
