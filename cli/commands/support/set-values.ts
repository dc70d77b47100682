/**
 * `--set` values of `amlsched run`, as `az ml job create --set` writes them: `NAME=value` and
 * `inputs.NAME=value` set a pipeline input, `settings.NAME=value` a pipeline setting. Input values
 * stay strings (the server checks them against the declared types); settings are read as YAML
 * scalars (`true`, `3`) because settings are typed.
 */
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../../../shared/errors';

export interface SetValues {
  inputs: Record<string, string>;
  settings: Record<string, unknown>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Commander collector for repeated `--set`. */
export function collectSet(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseSetValues(items: readonly string[]): SetValues {
  const out: SetValues = { inputs: {}, settings: {} };
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usage(item, 'expected NAME=value, inputs.NAME=value or settings.NAME=value');
    const target = item.slice(0, eq).trim();
    const value = item.slice(eq + 1);
    const parts = target.split('.');
    if (parts.length === 1 && NAME.test(target)) {
      out.inputs[target] = value;
    } else if (parts.length === 2 && parts[0] === 'inputs' && NAME.test(parts[1] ?? '')) {
      out.inputs[parts[1] as string] = value;
    } else if (parts.length === 2 && parts[0] === 'settings' && NAME.test(parts[1] ?? '')) {
      out.settings[parts[1] as string] = parseYaml(value) as unknown;
    } else {
      throw usage(item, `cannot set '${target}'; use NAME=value, inputs.NAME=value or settings.NAME=value`);
    }
  }
  return out;
}

function usage(item: string, message: string): ValidationError {
  return new ValidationError('usage', `--set '${item}': ${message}`, { path: '--set' });
}
