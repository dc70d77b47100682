/**
 * The part of an MLTable file a parallel step needs: which delimited files it reads (`paths:`
 * with `file`, `folder` or `pattern`, relative to the MLTable's folder or `azureml://` URIs) and
 * how (`read_delimited`: delimiter, header, encoding). Other transformations are refused by name.
 */
import { parse } from 'yaml';
import { ValidationError } from '../errors';

export interface MlTablePath {
  kind: 'file' | 'folder' | 'pattern';
  value: string;
}

export interface MlTable {
  paths: MlTablePath[];
  /** Absent when the table has no read_delimited: its paths are then files (a file dataset). */
  delimited?: {
    delimiter: string;
    /** False for `header: no_header`. */
    header: boolean;
    encoding: string;
  };
}

const HEADERS = ['all_files_same_headers', 'from_first_file', 'all_files_different_headers', 'no_header'];

export function parseMlTable(text: string, where: string): MlTable {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ValidationError('invalid_mltable', `${where}: not valid YAML: ${(err as Error).message}`);
  }
  const root = asMap(doc, where);
  const rawPaths = root.paths;
  if (!Array.isArray(rawPaths) || rawPaths.length === 0) throw new ValidationError('invalid_mltable', `${where}: 'paths' must list at least one file, folder or pattern`);
  const paths = rawPaths.map((p, i): MlTablePath => {
    const entry = asMap(p, `${where}: paths[${i}]`);
    const kind = (['file', 'folder', 'pattern'] as const).find((k) => typeof entry[k] === 'string');
    if (!kind) throw new ValidationError('invalid_mltable', `${where}: paths[${i}] needs one of file, folder, pattern`);
    return { kind, value: entry[kind] as string };
  });
  const transformations = Array.isArray(root.transformations) ? root.transformations : [];
  let delimited: Record<string, unknown> | undefined;
  for (const [i, t] of transformations.entries()) {
    const step = asMap(t, `${where}: transformations[${i}]`);
    const name = Object.keys(step)[0] ?? '';
    if (name === 'read_delimited') delimited = step.read_delimited === null ? {} : asMap(step.read_delimited, `${where}: read_delimited`);
    else throw new ValidationError('unsupported_mltable', `${where}: transformation '${name}' is not supported by parallel steps (only read_delimited)`);
  }
  if (!delimited) return { paths };
  const header = typeof delimited.header === 'string' ? delimited.header : 'all_files_same_headers';
  if (!HEADERS.includes(header)) throw new ValidationError('invalid_mltable', `${where}: read_delimited.header '${header}' is not one of ${HEADERS.join(', ')}`);
  return {
    paths,
    delimited: {
      delimiter: typeof delimited.delimiter === 'string' ? delimited.delimiter : ',',
      header: header !== 'no_header',
      encoding: typeof delimited.encoding === 'string' ? delimited.encoding : 'utf8',
    },
  };
}

function asMap(value: unknown, where: string): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError('invalid_mltable', `${where}: expected a mapping`);
}
