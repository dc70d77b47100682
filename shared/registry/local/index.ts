/**
 * The `local` registry driver: the data and component registries the local host published
 * (see shared/local-services.ts). The classes are exported for the host that creates them.
 */
import { getLocalServices } from '../../local-services';
import type { ComponentRegistry, DataRegistry } from '../types';

export { LocalDataRegistry } from './data';
export { LocalComponentRegistry, type RegisteredEnvironment } from './components';

export function createLocalDataRegistry(): DataRegistry {
  return getLocalServices().data;
}

export function createLocalComponentRegistry(): ComponentRegistry {
  return getLocalServices().components;
}
