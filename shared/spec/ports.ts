/** Declared input and output ports (components, pipeline components) and literal value checks. */
import { readDataPath } from './data-ref';
import { checkKeys, describeKind, expectMap, readBool, readLiteral, readNumber, readString } from './fields';
import type { LoadContext } from './load-context';
import type { DataType, InputDecl, InputMode, LiteralType, LiteralValue, OutputDecl, OutputMode, PortType } from './plan';
import type { YNode } from './yaml-node';

export const DATA_TYPES: readonly DataType[] = ['uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'];
export const LITERAL_TYPES: readonly LiteralType[] = ['string', 'integer', 'number', 'boolean'];
export const INPUT_MODES: readonly InputMode[] = ['ro_mount', 'download', 'direct', 'eval_mount', 'eval_download', 'rw_mount'];
export const OUTPUT_MODES: readonly OutputMode[] = ['rw_mount', 'upload', 'direct'];

export function isDataType(t: string): t is DataType {
  return (DATA_TYPES as readonly string[]).includes(t);
}

export function isLiteralType(t: string): t is LiteralType {
  return (LITERAL_TYPES as readonly string[]).includes(t);
}

const INPUT_DECL_KEYS = ['type', 'description', 'default', 'optional', 'enum', 'min', 'max', 'mode', 'path'];
const OUTPUT_DECL_KEYS = ['type', 'description', 'mode'];

export function readPortType(ctx: LoadContext, n: YNode | undefined, what: string): PortType | undefined {
  const t = readString(ctx, n, what);
  if (t === undefined || !n) return undefined;
  if (isDataType(t) || isLiteralType(t)) return t;
  ctx.report(n, 'invalid_value', `${what} '${t}' is not one of ${[...DATA_TYPES, ...LITERAL_TYPES].join(', ')}`);
  return undefined;
}

export function readInputMode(ctx: LoadContext, n: YNode | undefined): InputMode | undefined {
  const m = readString(ctx, n, 'input mode');
  if (m === undefined || !n) return undefined;
  if ((INPUT_MODES as readonly string[]).includes(m)) return m as InputMode;
  ctx.report(n, 'invalid_value', `input mode '${m}' is not one of ${INPUT_MODES.join(', ')}`);
  return undefined;
}

export function readOutputMode(ctx: LoadContext, n: YNode | undefined): OutputMode | undefined {
  const m = readString(ctx, n, 'output mode');
  if (m === undefined || !n) return undefined;
  if ((OUTPUT_MODES as readonly string[]).includes(m)) return m as OutputMode;
  ctx.report(n, 'invalid_value', `output mode '${m}' is not one of ${OUTPUT_MODES.join(', ')}`);
  return undefined;
}

/** Numbers and booleans written as strings, converted the way az ml's schema fields do. */
function fromText(value: LiteralValue, type: 'integer' | 'number' | 'boolean'): LiteralValue {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (type === 'boolean') return /^true$/i.test(text) ? true : /^false$/i.test(text) ? false : value;
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : value;
}

/** A literal checked (and converted) against a declared literal type, enum and range. */
export function checkLiteral(value: LiteralValue, decl: Pick<InputDecl, 'type' | 'enum' | 'min' | 'max'>): { value: LiteralValue } | { error: string } {
  let v: LiteralValue = value;
  switch (decl.type) {
    case 'integer':
      v = fromText(value, 'integer');
      if (typeof v !== 'number' || !Number.isInteger(v)) return { error: `expects an integer, got ${JSON.stringify(value)}` };
      break;
    case 'number':
      v = fromText(value, 'number');
      if (typeof v !== 'number') return { error: `expects a number, got ${JSON.stringify(value)}` };
      break;
    case 'boolean':
      v = fromText(value, 'boolean');
      if (typeof v !== 'boolean') return { error: `expects a boolean, got ${JSON.stringify(value)}` };
      break;
    case 'string':
      v = String(v);
      break;
    default:
      return { error: `is a ${decl.type} input and needs data (a path), got the literal ${JSON.stringify(value)}` };
  }
  if (decl.enum && !decl.enum.some((e) => String(e) === String(v))) {
    return { error: `value ${JSON.stringify(v)} is not one of the enum values ${decl.enum.map((e) => JSON.stringify(e)).join(', ')}` };
  }
  if (typeof v === 'number' && decl.min !== undefined && v < decl.min) return { error: `value ${v} is below min ${decl.min}` };
  if (typeof v === 'number' && decl.max !== undefined && v > decl.max) return { error: `value ${v} is above max ${decl.max}` };
  return { value: v };
}

/** One `inputs.X` declaration of a component. */
export async function readInputDecl(ctx: LoadContext, n: YNode, fromFile: string, name: string): Promise<InputDecl | undefined> {
  if (!expectMap(ctx, n, `input '${name}'`)) return undefined;
  checkKeys(ctx, n, INPUT_DECL_KEYS, `input '${name}'`);
  const typeNode = n.get('type');
  if (!typeNode) {
    ctx.report(n, 'missing_field', `input '${name}' needs a 'type'`);
    return undefined;
  }
  const type = readPortType(ctx, typeNode, 'input type');
  if (!type) return undefined;
  const decl: InputDecl = { type, optional: readBool(ctx, n.get('optional'), 'optional') ?? false };
  const description = readString(ctx, n.get('description'), 'description');
  if (description !== undefined) decl.description = description;
  const literal = isLiteralType(type);
  for (const key of ['min', 'max'] as const) {
    const node = n.get(key);
    if (!node) continue;
    if (type !== 'integer' && type !== 'number') ctx.report(node, 'invalid_value', `'${key}' applies only to integer and number inputs, not ${type}`);
    else {
      const v = readNumber(ctx, node, key);
      if (v !== undefined) decl[key] = v;
    }
  }
  const enumNode = n.get('enum');
  if (enumNode) {
    if (!literal) ctx.report(enumNode, 'invalid_value', `'enum' applies only to literal inputs, not ${type}`);
    else if (enumNode.kind !== 'seq') ctx.report(enumNode, 'invalid_type', `enum must be a list, got ${describeKind(enumNode)}`);
    else decl.enum = enumNode.items().map((i) => readLiteral(ctx, i, 'enum value')).filter((v): v is LiteralValue => v !== undefined);
  }
  const modeNode = n.get('mode');
  if (modeNode) {
    if (literal) ctx.report(modeNode, 'invalid_value', `'mode' applies only to data inputs, not ${type}`);
    else {
      const mode = readInputMode(ctx, modeNode);
      if (mode) decl.mode = mode;
    }
  }
  const defNode = n.get('default');
  if (defNode && defNode.kind !== 'null') {
    const raw = readLiteral(ctx, defNode, 'default');
    if (raw !== undefined) {
      if (literal) {
        const checked = checkLiteral(raw, decl);
        if ('error' in checked) ctx.report(defNode, 'invalid_value', `default of input '${name}' ${checked.error}`);
        else decl.default = checked.value;
      } else if (typeof raw === 'string') {
        const ref = await readDataPath(ctx, defNode, fromFile, raw, 'path');
        if (ref) decl.defaultData = ref;
      } else ctx.report(defNode, 'invalid_type', `default of ${type} input '${name}' must be a path`);
    }
  }
  const pathNode = n.get('path');
  if (pathNode) {
    const raw = readString(ctx, pathNode, 'path');
    if (literal) ctx.report(pathNode, 'invalid_value', `'path' applies only to data inputs, not ${type}`);
    else if (raw !== undefined) {
      const ref = await readDataPath(ctx, pathNode, fromFile, raw, 'path');
      if (ref) decl.defaultData = ref;
    }
  }
  return decl;
}

/** One `outputs.X` declaration of a component. */
export function readOutputDecl(ctx: LoadContext, n: YNode, name: string): OutputDecl | undefined {
  if (!expectMap(ctx, n, `output '${name}'`)) return undefined;
  checkKeys(ctx, n, OUTPUT_DECL_KEYS, `output '${name}'`);
  const typeNode = n.get('type');
  if (!typeNode) {
    ctx.report(n, 'missing_field', `output '${name}' needs a 'type'`);
    return undefined;
  }
  const type = readString(ctx, typeNode, 'output type');
  if (type === undefined) return undefined;
  if (!isDataType(type)) {
    ctx.report(typeNode, 'invalid_value', `output type '${type}' is not one of ${DATA_TYPES.join(', ')}`);
    return undefined;
  }
  const decl: OutputDecl = { type };
  const mode = readOutputMode(ctx, n.get('mode'));
  if (mode) decl.mode = mode;
  const description = readString(ctx, n.get('description'), 'description');
  if (description !== undefined) decl.description = description;
  return decl;
}

/** Reads `inputs:` and `outputs:` declarations of a component. */
export async function readPortDecls(
  ctx: LoadContext,
  doc: YNode,
  fromFile: string,
): Promise<{ inputs: Record<string, InputDecl>; outputs: Record<string, OutputDecl> }> {
  const inputs: Record<string, InputDecl> = {};
  const outputs: Record<string, OutputDecl> = {};
  const inNode = doc.get('inputs');
  if (inNode && inNode.kind !== 'null' && expectMap(ctx, inNode, 'inputs')) {
    for (const [name, child] of inNode.entries()) {
      const d = await readInputDecl(ctx, child, fromFile, name);
      if (d) inputs[name] = d;
    }
  }
  const outNode = doc.get('outputs');
  if (outNode && outNode.kind !== 'null' && expectMap(ctx, outNode, 'outputs')) {
    for (const [name, child] of outNode.entries()) {
      const d = readOutputDecl(ctx, child, name);
      if (d) outputs[name] = d;
    }
  }
  return { inputs, outputs };
}
