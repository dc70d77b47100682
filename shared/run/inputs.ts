/**
 * Pipeline inputs from outside (`--set`, HTTP body, trigger bindings) checked against their
 * declared types before a run starts. Values stay data: they are typed here and reach commands
 * only through the compute layer's literal handling (never spliced into code).
 */
import { ValidationError } from '../errors';
import type { DataRef, InputDecl, LiteralValue, PipelinePlan } from '../spec/plan';
import type { LocalSource, ResolvedInput } from './types';

const DATA_TYPES = new Set(['uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model']);

export function resolvePipelineInputs(
  plan: PipelinePlan,
  given: Record<string, unknown>,
  sources: Record<string, LocalSource> = {},
): Record<string, ResolvedInput> {
  for (const name of Object.keys(given)) {
    if (!(name in plan.inputs)) {
      const known = Object.keys(plan.inputs);
      throw invalid(name, `is not an input of the pipeline (inputs: ${known.length ? known.join(', ') : 'none'})`, 'unknown_input');
    }
  }
  const resolved: Record<string, ResolvedInput> = {};
  for (const [name, decl] of Object.entries(plan.inputs)) {
    const value = given[name];
    if (value !== undefined && value !== null) {
      resolved[name] = DATA_TYPES.has(decl.type) ? dataFromValue(name, decl, value) : { kind: 'literal', value: literalFromValue(name, decl, value) };
    } else if (decl.data) {
      resolved[name] = { kind: 'data', type: decl.type as ResolvedDataType, uri: dataRefUri(decl.data, sources, `inputs.${name}`) };
    } else if (decl.value !== undefined) {
      resolved[name] = { kind: 'literal', value: decl.value };
    } else if (decl.default !== undefined) {
      resolved[name] = { kind: 'literal', value: decl.default };
    } else if (decl.optional) {
      resolved[name] = { kind: 'none' };
    } else {
      throw invalid(name, 'is required and has no value or default', 'missing_input');
    }
  }
  return resolved;
}

type ResolvedDataType = Extract<ResolvedInput, { kind: 'data' }>['type'];

/** `azureml://` (or pass-through URL) form of a plan data reference; local files need an uploaded source. */
export function dataRefUri(ref: DataRef, sources: Record<string, LocalSource>, field: string): string {
  switch (ref.kind) {
    case 'datastore': return `azureml://datastores/${ref.datastore}/paths/${ref.path}`;
    case 'asset': return ref.version === 'latest' ? `azureml:${ref.name}@latest` : `azureml:${ref.name}:${ref.version}`;
    case 'url': return ref.url;
    case 'local': {
      const source = sources[ref.path];
      if (!source) throw new ValidationError('missing_source', `${field}: local path '${ref.path}' was not uploaded with the pipeline bundle`, { path: field });
      return source.uri;
    }
  }
}

function dataFromValue(name: string, decl: InputDecl, value: unknown): ResolvedInput {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(name, `expects a ${decl.type} reference (azureml://datastores/D/paths/P, azureml:NAME:VERSION or a URL)`, 'invalid_input');
  const uri = value.trim();
  if (!/^(azureml:|https?:\/\/|wasbs?:\/\/|abfss?:\/\/)/.test(uri)) {
    throw invalid(name, `expects a ${decl.type} reference (azureml://datastores/D/paths/P, azureml:NAME:VERSION or a URL), got '${uri}'`, 'invalid_input');
  }
  return { kind: 'data', type: decl.type as ResolvedDataType, uri };
}

function literalFromValue(name: string, decl: InputDecl, value: unknown): LiteralValue {
  let typed: LiteralValue;
  switch (decl.type) {
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
      if (!Number.isSafeInteger(n)) throw invalid(name, `expects an integer, got ${JSON.stringify(value)}`, 'invalid_input');
      typed = n;
      break;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      if (!Number.isFinite(n)) throw invalid(name, `expects a number, got ${JSON.stringify(value)}`, 'invalid_input');
      typed = n;
      break;
    }
    case 'boolean': {
      if (typeof value === 'boolean') typed = value;
      else if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) typed = value.trim().toLowerCase() === 'true';
      else throw invalid(name, `expects a boolean (true or false), got ${JSON.stringify(value)}`, 'invalid_input');
      break;
    }
    default: {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalid(name, `expects a string, got ${typeof value}`, 'invalid_input');
      typed = String(value);
    }
  }
  if (decl.enum && decl.enum.length > 0 && !decl.enum.some((e) => String(e) === String(typed))) {
    throw invalid(name, `must be one of ${decl.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(typed)}`, 'invalid_input');
  }
  if (typeof typed === 'number') {
    if (decl.min !== undefined && typed < decl.min) throw invalid(name, `must be at least ${decl.min}, got ${typed}`, 'invalid_input');
    if (decl.max !== undefined && typed > decl.max) throw invalid(name, `must be at most ${decl.max}, got ${typed}`, 'invalid_input');
  }
  return typed;
}

function invalid(name: string, message: string, code: string): ValidationError {
  return new ValidationError(code, `inputs.${name}: ${message}`, { path: `inputs.${name}` });
}
