/** Components and environments in the workspace (`azureml` driver of ComponentRegistry). */
import type { ComponentVersion } from '@azure/arm-machinelearning';
import type { AzureMlWorkspace } from '../../azure/client';
import { createOrGetVersion, latestVersion, listVersions } from '../../azure/versions';
import type { ComponentRegistry, RegisteredComponent } from '../types';

export function createAzureMlComponentRegistry(ws: AzureMlWorkspace): ComponentRegistry {
  const getVersion = (name: string, version: string): Promise<RegisteredComponent | undefined> =>
    ws.find(`read component ${name}:${version}`, (sdk) => sdk.componentVersions.get(ws.resourceGroup, ws.workspace, name, version))
      .then((resource) => resource && toComponent(name, resource));

  const versionsOf = async (name: string): Promise<RegisteredComponent[]> =>
    (await listVersions(ws, 'components', name)).map((item) => toComponent(name, item as ComponentVersion));

  return {
    async createOrGet(name, version, spec) {
      const { value, created } = await createOrGetVersion(
        () => getVersion(name, version),
        async () => toComponent(name, await ws.call(`create component ${name}:${version}`, (sdk) =>
          sdk.componentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, name, version, {
            properties: { componentSpec: { ...spec, name, version }, isAnonymous: false },
          }))),
      );
      return { component: value, created };
    },

    async get(name, version) {
      const resolved = version === 'latest' ? await latestVersion(ws, 'components', name) : version;
      return resolved === undefined ? undefined : getVersion(name, resolved);
    },

    async list(name) {
      if (name !== undefined) return versionsOf(name);
      const names = await ws.call('list components', async (sdk) => {
        const out: string[] = [];
        for await (const container of sdk.componentContainers.list(ws.resourceGroup, ws.workspace)) if (container.name) out.push(container.name);
        return out;
      });
      return (await Promise.all(names.sort().map(versionsOf))).flat();
    },

    async getEnvironment(name, version) {
      const resolved = version === 'latest' ? await latestVersion(ws, 'environments', name) : version;
      if (resolved === undefined) return undefined;
      const env = await ws.find(`read environment ${name}:${resolved}`, (sdk) => sdk.environmentVersions.get(ws.resourceGroup, ws.workspace, name, resolved));
      if (!env) return undefined;
      return { name, version: resolved, ...(env.properties.image ? { image: env.properties.image } : {}) };
    },
  };
}

function toComponent(name: string, resource: ComponentVersion): RegisteredComponent {
  return {
    name, version: resource.name ?? '',
    spec: resource.properties.componentSpec ?? {},
    createdTime: resource.systemData?.createdAt?.toISOString() ?? '',
  };
}
