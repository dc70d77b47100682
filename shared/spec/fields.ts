/**
 * Typed field readers over YAML nodes: each reports a located problem and returns undefined on
 * a wrong shape, so loading goes on and collects every problem.
 */
import type { LoadContext } from './load-context';
import type { LiteralValue } from './plan';
import type { YNode } from './yaml-node';

export function describeKind(n: YNode): string {
  switch (n.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'null':
      return 'empty';
    default:
      return typeof n.value === 'string' ? `the string '${n.value}'` : `${typeof n.value} ${String(n.value)}`;
  }
}

/** True when `n` is a mapping; else reports it. Empty values count as "not a mapping". */
export function expectMap(ctx: LoadContext, n: YNode, what: string): boolean {
  if (n.kind === 'map') return true;
  ctx.report(n, 'invalid_type', `${what} must be a mapping, got ${describeKind(n)}`);
  return false;
}

/** Reports every key of a mapping that the schema does not allow (as az ml's strict schemas do). */
export function checkKeys(ctx: LoadContext, n: YNode, allowed: readonly string[], what: string): void {
  for (const [key, child] of n.entries()) {
    if (!allowed.includes(key)) {
      ctx.report(child.keyLoc, 'unknown_key', `unknown field '${key}' in ${what} (allowed: ${allowed.join(', ')})`);
    }
  }
}

export function readString(ctx: LoadContext, n: YNode | undefined, what: string): string | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar' && typeof n.value === 'string') return n.value;
  ctx.report(n, 'invalid_type', `${what} must be a string, got ${describeKind(n)}`);
  return undefined;
}

/** Names, versions and tag values: numbers and booleans are taken in their string form (`version: 1` → `1`). */
export function readText(ctx: LoadContext, n: YNode | undefined, what: string): string | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar' && ['string', 'number', 'boolean'].includes(typeof n.value)) return String(n.value);
  ctx.report(n, 'invalid_type', `${what} must be a string, got ${describeKind(n)}`);
  return undefined;
}

export function readBool(ctx: LoadContext, n: YNode | undefined, what: string): boolean | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar' && typeof n.value === 'boolean') return n.value;
  ctx.report(n, 'invalid_type', `${what} must be a boolean, got ${describeKind(n)}`);
  return undefined;
}

export function readNumber(ctx: LoadContext, n: YNode | undefined, what: string): number | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar' && typeof n.value === 'number' && Number.isFinite(n.value)) return n.value;
  ctx.report(n, 'invalid_type', `${what} must be a number, got ${describeKind(n)}`);
  return undefined;
}

/** An integer, at least `min`; integer strings (`"60"`) are accepted, as az ml's schema fields do. */
export function readInt(ctx: LoadContext, n: YNode | undefined, what: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (!n || n.kind === 'null') return undefined;
  const raw = n.value;
  const v = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (n.kind === 'scalar' && typeof v === 'number' && Number.isInteger(v)) {
    if (v < min) {
      ctx.report(n, 'invalid_value', `${what} must be at least ${min}, got ${v}`);
      return undefined;
    }
    return v;
  }
  ctx.report(n, 'invalid_type', `${what} must be an integer, got ${describeKind(n)}`);
  return undefined;
}

export function readLiteral(ctx: LoadContext, n: YNode | undefined, what: string): LiteralValue | undefined {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar' && ['string', 'number', 'boolean'].includes(typeof n.value)) return n.value as LiteralValue;
  ctx.report(n, 'invalid_type', `${what} must be a string, number or boolean, got ${describeKind(n)}`);
  return undefined;
}

/** `tags`, `environment_variables`, `properties`: a mapping of names to scalar values, kept as strings. */
export function readStringMap(ctx: LoadContext, n: YNode | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!n || n.kind === 'null') return out;
  if (!expectMap(ctx, n, what)) return out;
  for (const [key, child] of n.entries()) {
    const v = readText(ctx, child, `${what} value '${key}'`);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Compute names as written (`azureml:cpu-cluster`) without the `azureml:` prefix. */
export function readCompute(ctx: LoadContext, n: YNode | undefined): string | undefined {
  const raw = readString(ctx, n, 'compute');
  if (raw === undefined) return undefined;
  const name = raw.startsWith('azureml:') ? raw.slice('azureml:'.length) : raw;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    ctx.report(n!, 'invalid_value', `compute '${raw}' is not a compute name (azureml:NAME or NAME)`);
    return undefined;
  }
  return name;
}
