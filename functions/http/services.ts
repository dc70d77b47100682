/**
 * The ports the HTTP functions use, resolved once per process. On the local host they are the
 * services it publishes; the Azure drivers come from shared/config.
 */
import type { ComputeBackend } from '../../shared/compute/types';
import type { DatastoreRegistry } from '../../shared/datastore/types';
import { getLocalServices } from '../../shared/local-services';
import type { ComponentRegistry, DataRegistry } from '../../shared/registry/types';
import type { StateStore } from '../../shared/state/types';

export interface ApiServices {
  state: StateStore;
  datastores: DatastoreRegistry;
  data: DataRegistry;
  components: ComponentRegistry;
  compute: ComputeBackend;
}

export function apiServices(): ApiServices {
  return getLocalServices();
}
