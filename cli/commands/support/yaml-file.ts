/** Reads a YAML document the user names on the command line (one-line errors for missing or bad files). */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { NotFoundError, ValidationError } from '../../../shared/errors';

export async function readYamlFile(file: string): Promise<{ text: string; value: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NotFoundError('missing_path', `${file}: no such file`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new ValidationError('invalid_yaml', `${file}: ${(err as Error).message.split('\n')[0]}`, { file });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('invalid_yaml', `${file}: expected a YAML mapping at the top`, { file });
  }
  return { text, value: value as Record<string, unknown> };
}
