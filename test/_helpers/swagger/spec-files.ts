/**
 * Loads the published Swagger 2.0 files (test/fixtures/azure-ml-rest, a copy of the reference
 * folder) and resolves `$ref`s across them. The spec's common-types refs climb five folders
 * (`../../../../../common-types/...`); in this copy common-types sits one level up from the
 * api-version folder, so that prefix is mapped as SOURCE.md describes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Schema = Record<string, unknown>;

/** A schema together with the file its own `$ref`s are relative to. */
export interface Located {
  schema: Schema;
  file: string;
  /** `file#/pointer` of the schema when it came from a `$ref` (definitions), for subtype lookup. */
  ref?: string;
}

const COMMON_TYPES_PREFIX = '../../../../../common-types/';

export function specRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'test', 'fixtures', 'azure-ml-rest');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('test/fixtures/azure-ml-rest not found above ' + __dirname);
    dir = parent;
  }
}

export class SpecFiles {
  private readonly docs = new Map<string, Schema>();

  constructor(readonly root: string = specRoot()) {}

  doc(file: string): Schema {
    let doc = this.docs.get(file);
    if (!doc) {
      doc = JSON.parse(readFileSync(file, 'utf8')) as Schema;
      this.docs.set(file, doc);
    }
    return doc;
  }

  /** Absolute file of a ref target, applying the common-types mapping. */
  refFile(ref: string, fromFile: string): string {
    const filePart = ref.split('#')[0] ?? '';
    if (filePart === '') return fromFile;
    if (filePart.startsWith(COMMON_TYPES_PREFIX)) return path.join(this.root, 'common-types', filePart.slice(COMMON_TYPES_PREFIX.length));
    return path.resolve(path.dirname(fromFile), filePart);
  }

  resolve(ref: string, fromFile: string): Located {
    const file = this.refFile(ref, fromFile);
    const pointer = ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : '';
    let node: unknown = this.doc(file);
    for (const raw of pointer.split('/').filter((p) => p !== '')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Record<string, unknown> | undefined)?.[key];
      if (node === undefined) throw new Error(`unresolvable $ref ${ref} from ${fromFile}`);
    }
    return { schema: node as Schema, file, ref: `${file}#${pointer}` };
  }

  /** Follows `$ref` chains until a schema without `$ref`. */
  deref(located: Located): Located {
    let current = located;
    while (typeof current.schema.$ref === 'string') current = this.resolve(current.schema.$ref, current.file);
    return current;
  }
}
