/**
 * Where a step's outputs go, and whether they are there: a step is Completed only once its
 * output blobs are confirmed present (Azurite can lose its latest writes when killed).
 */
import { datastoreUri, parseDatastoreUri } from '../../shared/datastore/types';
import type { PlannedOutput } from '../../shared/spec/plan';
import type { ActivityDeps } from './deps';

/** Azure ML's default output path `azureml/{job}/{output}/`, or the output's own path with `${{name}}` filled in. */
export function outputUri(output: PlannedOutput, outputName: string, jobName: string, defaultDatastore: string): string {
  if (output.path?.kind === 'datastore') {
    const path = output.path.path.replace(/\$\{\{\s*name\s*\}\}/g, jobName).replace(/\$\{\{\s*output_name\s*\}\}/g, outputName);
    return datastoreUri(output.path.datastore, path);
  }
  if (output.path?.kind === 'url') return output.path.url;
  const folder = output.type !== 'uri_file';
  return datastoreUri(defaultDatastore, `azureml/${jobName}/${outputName}${folder ? '/' : ''}`);
}

/** True when the output exists: the blob for a file, at least one blob under a folder. */
export async function outputExists(deps: ActivityDeps, uri: string): Promise<boolean> {
  const ref = parseDatastoreUri(uri);
  if (!ref) return true;
  const store = deps.datastores.get(ref.datastore);
  if (!ref.path.endsWith('/') && (await store.stat(ref.path))) return true;
  const prefix = ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
  for await (const _blob of store.list(prefix)) return true;
  return false;
}

/** The outputs not (yet) visible, after a few short waits. */
export async function missingOutputs(deps: ActivityDeps, outputs: Record<string, string>, attempts = 3): Promise<string[]> {
  let missing = Object.keys(outputs);
  for (let i = 0; i < attempts && missing.length > 0; i += 1) {
    if (i > 0) await new Promise((r) => setTimeout(r, deps.outputCheckDelayMs ?? 500));
    const checks = await Promise.all(missing.map(async (name) => ((await outputExists(deps, outputs[name] as string)) ? undefined : name)));
    missing = checks.filter((n): n is string => n !== undefined);
  }
  return missing;
}
