/**
 * Data assets in the workspace (`azureml` driver of DataRegistry). Lineage travels in tags
 * (`amlsched.producedBy.*`), which the studio shows and filters on.
 */
import type { DataVersionBase } from '@azure/arm-machinelearning';
import type { AzureMlWorkspace } from '../../azure/client';
import { createOrGetVersion, latestVersion, listVersions } from '../../azure/versions';
import type { DataType } from '../../spec/plan';
import type { DataRegistry, DataVersion, DataVersionInput, Lineage } from '../types';

const LINEAGE = { runId: 'amlsched.producedBy.runId', step: 'amlsched.producedBy.step', jobName: 'amlsched.producedBy.jobName', inputs: 'amlsched.producedBy.inputs' } as const;

export function createAzureMlDataRegistry(ws: AzureMlWorkspace): DataRegistry {
  const getVersion = (name: string, version: string): Promise<DataVersion | undefined> =>
    ws.find(`read data ${name}:${version}`, (sdk) => sdk.dataVersions.get(ws.resourceGroup, ws.workspace, name, version))
      .then((resource) => resource && toDataVersion(name, resource));

  const versionsOf = async (name: string): Promise<DataVersion[]> => {
    const items = await listVersions(ws, 'data', name);
    return items.map((item) => toDataVersion(name, item as DataVersionBase));
  };

  return {
    async createOrGet(input: DataVersionInput) {
      const { value, created } = await createOrGetVersion(
        () => getVersion(input.name, input.version),
        async () => toDataVersion(input.name, await ws.call(`register data ${input.name}:${input.version}`, (sdk) =>
          sdk.dataVersions.createOrUpdate(ws.resourceGroup, ws.workspace, input.name, input.version, toResource(input)))),
      );
      return { version: value, created };
    },

    async get(name: string, version: string) {
      const resolved = version === 'latest' ? await latestVersion(ws, 'data', name) : version;
      return resolved === undefined ? undefined : getVersion(name, resolved);
    },

    async list(name?: string) {
      if (name !== undefined) return versionsOf(name);
      const names = await ws.call('list data assets', async (sdk) => {
        const out: string[] = [];
        for await (const container of sdk.dataContainers.list(ws.resourceGroup, ws.workspace)) if (container.name) out.push(container.name);
        return out;
      });
      const all = await Promise.all(names.sort().map(versionsOf));
      return all.flat();
    },
  };
}

function toResource(input: DataVersionInput): DataVersionBase {
  const tags: Record<string, string> = { ...input.tags };
  if (input.producedBy) {
    tags[LINEAGE.runId] = input.producedBy.runId;
    tags[LINEAGE.step] = input.producedBy.step;
    tags[LINEAGE.jobName] = input.producedBy.jobName;
    if (input.producedBy.inputs) tags[LINEAGE.inputs] = JSON.stringify(input.producedBy.inputs);
  }
  return {
    properties: {
      dataType: input.type, dataUri: input.uri, tags, isAnonymous: false,
      ...(input.description === undefined ? {} : { description: input.description }),
    },
  } as DataVersionBase;
}

function toDataVersion(name: string, resource: DataVersionBase): DataVersion {
  const p = resource.properties;
  const tags = Object.fromEntries(Object.entries(p.tags ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  let producedBy: Lineage | undefined;
  const runId = tags[LINEAGE.runId];
  if (runId !== undefined) {
    producedBy = { runId, step: tags[LINEAGE.step] ?? '', jobName: tags[LINEAGE.jobName] ?? '' };
    const inputs = tags[LINEAGE.inputs];
    if (inputs) producedBy.inputs = JSON.parse(inputs) as Record<string, string>;
  }
  for (const key of Object.values(LINEAGE)) delete tags[key];
  const version: DataVersion = {
    name, version: resource.name ?? '', type: p.dataType as DataType, uri: p.dataUri, tags,
    createdTime: resource.systemData?.createdAt?.toISOString() ?? '',
  };
  if (p.description) version.description = p.description;
  if (producedBy) version.producedBy = producedBy;
  return version;
}
