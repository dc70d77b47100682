/**
 * Cutting a wide DAG into chunks so no orchestration history grows past ~1,000 events:
 * consecutive slices of the topological order, each run as a graph sub-orchestration that
 * starts when the chunks holding its dependencies are done. A pipeline no larger than one
 * chunk stays one graph, so step-level eagerness holds there. Pure.
 */
import type { PlannedStep } from '../shared/spec/plan';

export interface Chunk {
  id: string;
  steps: PlannedStep[];
  /** Ids of the chunks holding this chunk's steps' dependencies. */
  dependsOn: string[];
}

export function chunkSteps(steps: PlannedStep[], size: number): Chunk[] {
  const chunkOf = new Map<string, string>();
  const chunks: Chunk[] = [];
  for (let start = 0; start < steps.length; start += size) {
    const id = `chunk-${chunks.length}`;
    const slice = steps.slice(start, start + size);
    const deps = new Set<string>();
    for (const step of slice) {
      for (const dep of step.dependsOn) {
        const owner = chunkOf.get(dep);
        if (owner !== undefined && owner !== id) deps.add(owner);
      }
      chunkOf.set(step.name, id);
    }
    chunks.push({ id, steps: slice, dependsOn: [...deps] });
  }
  return chunks;
}
