/**
 * The `azureml` drivers from app settings, sharing one workspace client (created on first use):
 * compute, data registry, component/environment registry. Settings are read at once, so a missing
 * AML_* setting stops start-up with one line naming it.
 */
import type { TokenCredential } from '@azure/identity';
import { type AzureMlComputeOptions, createAzureMlCompute } from '../compute/azureml/backend';
import type { ComputeBackend } from '../compute/types';
import { createAzureMlComponentRegistry } from '../registry/azureml/component-registry';
import { createAzureMlDataRegistry } from '../registry/azureml/data-registry';
import type { ComponentRegistry, DataRegistry } from '../registry/types';
import { AzureMlWorkspace } from './client';
import { readAzureMlSettings } from './settings';

export interface AzureMlServices {
  workspace: AzureMlWorkspace;
  compute: ComputeBackend;
  data: DataRegistry;
  components: ComponentRegistry;
}

export function createAzureMlServices(options: {
  env?: NodeJS.ProcessEnv;
  credential?: TokenCredential;
  compute?: Omit<AzureMlComputeOptions, 'data'>;
} = {}): AzureMlServices {
  const workspace = new AzureMlWorkspace(readAzureMlSettings(options.env), options.credential);
  const data = createAzureMlDataRegistry(workspace);
  return {
    workspace,
    data,
    components: createAzureMlComponentRegistry(workspace),
    compute: createAzureMlCompute(workspace, { ...options.compute, data }),
  };
}
