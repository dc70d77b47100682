/**
 * The `local` compute driver: the local Azure ML the local host published (devhost/localaml),
 * read through shared/local-services.ts so the app never imports the host.
 */
import { getLocalServices } from '../../local-services';
import type { ComputeBackend } from '../types';

export function createLocalCompute(): ComputeBackend {
  return getLocalServices().compute;
}
