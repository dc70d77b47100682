/**
 * Resolves a step's EnvironmentRef to what `environmentId` takes:
 *  - registry URIs (`azureml://registries/...`) pass through;
 *  - `azureml:NAME:VERSION` → the version's ARM id; `azureml:NAME@latest` → the newest version's;
 *  - inline `image` (+ conda) → an environment version named by content hash, created once.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AzureMlWorkspace } from '../../azure/client';
import { createOrGetVersion, latestVersion } from '../../azure/versions';
import { NotFoundError, ValidationError } from '../../errors';
import type { EnvironmentRef } from '../../spec/plan';

/** Name of inline environments that do not name themselves. */
export const INLINE_ENVIRONMENT_NAME = 'amlsched-inline';

export async function resolveEnvironmentId(ws: AzureMlWorkspace, env: EnvironmentRef, sourceRoot: string | undefined): Promise<string> {
  switch (env.kind) {
    case 'registry':
      return env.uri;
    case 'registered': {
      const version = env.version === 'latest' ? await latestVersion(ws, 'environments', env.name) : env.version;
      if (version === undefined) throw new NotFoundError('unresolved_reference', `azureml: environment azureml:${env.name}@latest has no versions in workspace '${ws.workspace}'`);
      return ws.armId(`environments/${env.name}/versions/${version}`);
    }
    case 'inline': {
      if (!env.image) throw new ValidationError('unsupported_environment', 'azureml: an inline environment needs an image (Docker build contexts are not supported by this driver)');
      const conda = env.conda ?? (env.condaFile === undefined ? undefined : await readConda(env.condaFile, sourceRoot));
      const name = env.name ?? INLINE_ENVIRONMENT_NAME;
      const version = env.version ?? contentVersion(env.image, conda);
      await createOrGetVersion(
        () => ws.find(`read environment ${name}:${version}`, (sdk) => sdk.environmentVersions.get(ws.resourceGroup, ws.workspace, name, version)),
        () => ws.call(`create environment ${name}:${version}`, (sdk) => sdk.environmentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, name, version, {
          properties: { image: env.image, osType: 'Linux', isAnonymous: false, ...(conda === undefined ? {} : { condaFile: conda }) },
        })),
      );
      return ws.armId(`environments/${name}/versions/${version}`);
    }
    case 'none':
      throw new ValidationError('missing_environment', 'azureml: the step has no environment; Azure ML command jobs need one');
  }
}

/** Same image and conda text → same version, so an unchanged environment is created once. */
export function contentVersion(image: string, conda: string | undefined): string {
  return createHash('sha256').update(JSON.stringify({ image, conda: conda ?? null })).digest('hex').slice(0, 32);
}

async function readConda(condaFile: string, sourceRoot: string | undefined): Promise<string> {
  if (sourceRoot === undefined) throw new ValidationError('missing_path', `azureml: conda file '${condaFile}' cannot be read: no source root given to the driver`);
  try {
    return await readFile(path.resolve(sourceRoot, condaFile), 'utf8');
  } catch (err) {
    throw new ValidationError('missing_path', `azureml: conda file '${condaFile}' cannot be read: ${(err as Error).message}`, { file: condaFile });
  }
}
