/**
 * The drivers the activities and functions use, chosen by AMLSCHED_COMPUTE and created once:
 *   local   → the local host's services (getLocalServices(), published by `amlsched dev`);
 *   azureml → the Azure ML drivers (compute, data and component registries), the local host's datastores
 *             and a state store. This build has no
 *             Azure Table storage driver (the package is not installed), so the state store is
 *             the local host's SQLite store when the app runs inside `amlsched dev` (the Azure-path
 *             tests against the fake Azure ML); deployed to Azure, start-up stops with a line saying so.
 */
import { createAzureMlServices } from '../azure/services';
import type { ComputeBackend } from '../compute/types';
import type { DatastoreRegistry } from '../datastore/types';
import { ConfigurationError } from '../errors';
import { getLocalServices, tryGetLocalServices } from '../local-services';
import type { ComponentRegistry, DataRegistry } from '../registry/types';
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
  const local = tryGetLocalServices();
  if (!local) {
    throw new ConfigurationError('AMLSCHED_COMPUTE', "is 'azureml' but this build has no Azure Table storage state store (no @azure/data-tables package); run inside `amlsched dev` (SQLite state) until it is added");
  }
  return {
    settings,
    compute: azure.compute,
    data: azure.data,
    components: azure.components,
    datastores: local.datastores,
    state: local.state,
  };
}
