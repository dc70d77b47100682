/**
 * The seam between the app and the local host. When the app runs inside `amlsched dev`, the host
 * publishes its local Azure ML, datastores and state store here before loading the app; the app's
 * `local` drivers read them. In Azure nothing is published and the `azureml` drivers are used.
 */
import type { ComputeBackend } from './compute/types';
import type { DatastoreRegistry } from './datastore/types';
import type { ComponentRegistry, DataRegistry } from './registry/types';
import type { StateStore } from './state/types';
import { ConfigurationError } from './errors';

export interface LocalServices {
  compute: ComputeBackend;
  datastores: DatastoreRegistry;
  data: DataRegistry;
  components: ComponentRegistry;
  state: StateStore;
}

const KEY = Symbol.for('amlsched.localServices');
type Holder = { [KEY]?: LocalServices };

export function publishLocalServices(services: LocalServices | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function tryGetLocalServices(): LocalServices | undefined {
  return (globalThis as Holder)[KEY];
}

export function getLocalServices(): LocalServices {
  const services = tryGetLocalServices();
  if (!services) {
    throw new ConfigurationError('AMLSCHED_COMPUTE', "is 'local' but the app is not running in the local host (amlsched dev); use 'azureml' in Azure");
  }
  return services;
}
