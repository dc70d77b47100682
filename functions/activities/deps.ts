/** What the run activities need, injected (local drivers in tests and the local host, Azure in Azure). */
import type { ComputeBackend } from '../../shared/compute/types';
import type { DatastoreRegistry } from '../../shared/datastore/types';
import type { ComponentRegistry, DataRegistry } from '../../shared/registry/types';
import type { StateStore } from '../../shared/state/types';

export interface ActivityDeps {
  compute: ComputeBackend;
  datastores: DatastoreRegistry;
  data: DataRegistry;
  components: ComponentRegistry;
  state: StateStore;
  clock: () => Date;
  /** Pause between checks for output blobs that are not visible yet (tests shorten it). */
  outputCheckDelayMs?: number;
}
