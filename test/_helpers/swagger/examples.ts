/**
 * The specification's own examples (x-ms-examples) that are present in the reference copy,
 * each with the operation that names it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Schema } from './spec-files';
import { type SpecOperations } from './operations';

export interface SpecExample {
  /** Path relative to the api-version folder, e.g. `examples/Job/cancel.json`. */
  file: string;
  operationId: string;
  method: string;
  template: string;
  specFile: string;
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

export function loadExamples(operations: SpecOperations, specFiles: string[]): SpecExample[] {
  const files = operations.validator.files;
  const out: SpecExample[] = [];
  for (const rel of specFiles) {
    const specFile = path.join(files.root, rel);
    const paths = (files.doc(specFile).paths ?? {}) as Record<string, Record<string, Schema>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const ref of Object.values((operation['x-ms-examples'] ?? {}) as Record<string, { $ref: string }>)) {
          const file = path.resolve(path.dirname(specFile), ref.$ref);
          if (!existsSync(file)) continue;
          const example = JSON.parse(readFileSync(file, 'utf8')) as Pick<SpecExample, 'parameters' | 'responses'>;
          out.push({
            file: path.relative(path.dirname(specFile), file).split(path.sep).join('/'),
            operationId: String(operation.operationId), method, template, specFile, ...example,
          });
        }
      }
    }
  }
  return out;
}

/** Fills a path template from an example's parameters. */
export function examplePath(example: SpecExample): string {
  return example.template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(example.parameters[name])));
}
