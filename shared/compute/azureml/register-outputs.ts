/**
 * Registers a completed job's outputs as data versions. The 2025-12-01 API has no
 * assetName/assetVersion on job outputs, so the wanted name:version travels in the job's
 * properties (see job-body.ts) and is registered here, create-or-get, with the job as lineage.
 */
import type { DataType } from '../../spec/plan';
import type { DataRegistry } from '../../registry/types';
import { type JobState, JOB_TAGS } from '../types';
import { REGISTER_PROPERTY_PREFIX } from './job-body';
import { type JobResource, strings } from './status';

export async function registerCompletedOutputs(data: DataRegistry, resource: JobResource, state: JobState): Promise<void> {
  for (const [key, value] of Object.entries(strings(resource.properties?.properties))) {
    if (!key.startsWith(REGISTER_PROPERTY_PREFIX)) continue;
    const output = key.slice(REGISTER_PROPERTY_PREFIX.length);
    const [name, version] = value.split(':');
    const uri = state.outputs[output];
    const type = resource.properties?.outputs?.[output]?.jobOutputType as DataType | undefined;
    if (!name || !version || !uri || !type) continue;
    await data.createOrGet({
      name, version, type, uri, tags: {},
      producedBy: { runId: state.tags[JOB_TAGS.runId] ?? '', step: state.tags[JOB_TAGS.step] ?? '', jobName: state.name },
    });
  }
}
