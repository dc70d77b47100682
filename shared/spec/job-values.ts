/**
 * Values given to ports in a job: step inputs (literals, data, bindings to the parent pipeline or
 * sibling steps), step outputs (settings, registration, binding to pipeline outputs) and the
 * pipeline's own inputs and outputs.
 */
import { classifyPath, readDataPath } from './data-ref';
import { containsExpression, exprText, scanTemplate, wholeBinding } from './expressions';
import { checkKeys, describeKind, readBool, readLiteral, readNumber, readString, readText } from './fields';
import type { LoadContext } from './load-context';
import type { DataRef, DataType, InputDecl, InputMode, LiteralValue, OutputMode, PipelineOutputDecl, PortType } from './plan';
import { checkLiteral, isDataType, isLiteralType, readInputMode, readOutputMode, readPortType } from './ports';
import type { YNode } from './yaml-node';

/** A step input as written, before bindings are checked against the other steps. */
export type RawInput = { node: YNode; declaredType?: PortType } & (
  | { kind: 'literal'; value: LiteralValue }
  | { kind: 'data'; type: DataType; ref: DataRef; mode?: InputMode }
  | { kind: 'parent_input'; input: string; mode?: InputMode }
  | { kind: 'step_output'; step: string; output: string; mode?: InputMode }
  | { kind: 'none' }
);

const JOB_INPUT_KEYS = ['type', 'path', 'mode', 'value', 'description'];

/** Reads a `${{...}}` binding allowed as a step input value; reports anything else. */
function readInputBinding(ctx: LoadContext, n: YNode, text: string): { kind: 'parent_input'; input: string } | { kind: 'step_output'; step: string; output: string } | undefined {
  const expr = wholeBinding(text);
  if (!expr) {
    ctx.report(n, 'invalid_binding', `'${text}' mixes text and \${{ }} expressions; an input takes one binding or a literal`);
    return undefined;
  }
  if (expr.kind === 'parent_input' || expr.kind === 'step_output') return expr;
  const hint = expr.kind === 'inputs' || expr.kind === 'outputs' ? ` (in a pipeline job, write \${{parent.${exprText(expr)}}})` : '';
  ctx.report(n, 'invalid_binding', `'\${{${exprText(expr)}}}' cannot feed an input: use \${{parent.inputs.X}} or \${{parent.jobs.STEP.outputs.X}}${hint}`);
  return undefined;
}

export async function readJobInput(ctx: LoadContext, n: YNode, fromFile: string, name: string): Promise<RawInput | undefined> {
  if (n.kind === 'null') return { node: n, kind: 'none' };
  if (n.kind === 'seq') {
    ctx.report(n, 'invalid_type', `input '${name}' must be a literal, a binding or a mapping, got a list`);
    return undefined;
  }
  if (n.kind === 'scalar') {
    const v = readLiteral(ctx, n, `input '${name}'`);
    if (v === undefined) return undefined;
    if (typeof v === 'string' && containsExpression(v)) {
      const b = readInputBinding(ctx, n, v);
      return b && { node: n, ...b };
    }
    return { node: n, kind: 'literal', value: v };
  }
  checkKeys(ctx, n, JOB_INPUT_KEYS, `input '${name}'`);
  const typeNode = n.get('type');
  const declaredType = typeNode ? readPortType(ctx, typeNode, 'input type') : undefined;
  if (typeNode && !declaredType) return undefined;
  const base = { node: n, ...(declaredType ? { declaredType } : {}) };
  const modeNode = n.get('mode');
  const mode = modeNode ? readInputMode(ctx, modeNode) : undefined;
  const pathNode = n.get('path');
  const valueNode = n.get('value');
  if (pathNode && valueNode) {
    ctx.report(valueNode, 'invalid_value', `input '${name}' sets both 'path' and 'value'`);
    return undefined;
  }
  if (pathNode) {
    if (declaredType && isLiteralType(declaredType)) {
      ctx.report(pathNode, 'invalid_value', `input '${name}' is of type ${declaredType}: use 'value', not 'path'`);
      return undefined;
    }
    const raw = readString(ctx, pathNode, 'path');
    if (raw === undefined) return undefined;
    if (containsExpression(raw)) {
      const b = readInputBinding(ctx, pathNode, raw);
      return b && { ...base, ...b, ...(mode ? { mode } : {}) };
    }
    const ref = await readDataPath(ctx, pathNode, fromFile, raw, 'path');
    if (!ref) return undefined;
    const type = declaredType && isDataType(declaredType) ? declaredType : 'uri_folder';
    return { ...base, kind: 'data', type, ref, ...(mode ? { mode } : {}) };
  }
  if (valueNode) {
    const v = readLiteral(ctx, valueNode, `input '${name}' value`);
    if (v === undefined) return undefined;
    if (declaredType && isDataType(declaredType)) {
      ctx.report(valueNode, 'invalid_value', `input '${name}' is of type ${declaredType}: use 'path', not 'value'`);
      return undefined;
    }
    return { ...base, node: valueNode, kind: 'literal', value: v };
  }
  if (declaredType && isDataType(declaredType)) {
    ctx.report(n, 'missing_field', `input '${name}' of type ${declaredType} needs a 'path'`);
    return undefined;
  }
  return { ...base, kind: 'none' };
}

export interface RawOutput {
  node: YNode;
  type?: DataType;
  mode?: OutputMode;
  path?: DataRef;
  register?: { name: string; version?: string };
  bindsTo: string[];
}

const JOB_OUTPUT_KEYS = ['type', 'mode', 'path', 'name', 'version', 'description'];
const PATH_MACROS = ['name', 'output_name'];

/** An output `path:`: a remote URI, where `${{name}}` and `${{output_name}}` are the allowed macros. */
function readOutputPath(ctx: LoadContext, n: YNode): DataRef | undefined {
  const raw = readString(ctx, n, 'output path');
  if (raw === undefined) return undefined;
  const scan = scanTemplate(raw);
  const bad = scan.refs.find((r) => r.expr.kind !== 'other' || !PATH_MACROS.includes(r.expr.text));
  if (bad || scan.errors.length > 0 || scan.blocks > 0) {
    const what = bad ? `\${{${exprText(bad.expr)}}}` : (scan.errors[0] ?? 'an optional block');
    ctx.report(n, 'invalid_value', `output path '${raw}' uses ${what}; allowed macros: \${{name}}, \${{output_name}}`);
    return undefined;
  }
  const c = classifyPath(raw);
  if ('ref' in c && (c.ref.kind === 'datastore' || c.ref.kind === 'url')) return c.ref;
  ctx.report(n, 'invalid_value', `output path '${raw}' must be a datastore URI (azureml://datastores/D/paths/P) or a storage URL`);
  return undefined;
}

function readRegistration(ctx: LoadContext, n: YNode, what: string): { name: string; version?: string } | undefined {
  const nameNode = n.get('name');
  const versionNode = n.get('version');
  const name = readText(ctx, nameNode, 'name');
  const version = readText(ctx, versionNode, 'version');
  if (name !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    ctx.report(nameNode!, 'invalid_value', `${what} name '${name}' is not a valid data asset name (letters, digits, _ . -)`);
    return undefined;
  }
  if (version !== undefined && name === undefined) {
    ctx.report(versionNode!, 'missing_field', `${what} sets 'version' without 'name'; registration needs a name`);
    return undefined;
  }
  if (name === undefined) return undefined;
  return version === undefined ? { name } : { name, version };
}

/** Fields shared by step outputs and pipeline outputs (type, mode, path, registration). */
function readOutputFields(ctx: LoadContext, n: YNode, what: string): Omit<RawOutput, 'bindsTo'> | undefined {
  checkKeys(ctx, n, JOB_OUTPUT_KEYS, what);
  const out: Omit<RawOutput, 'bindsTo'> = { node: n };
  const typeNode = n.get('type');
  if (typeNode) {
    const t = readString(ctx, typeNode, 'output type');
    if (t !== undefined && !isDataType(t)) {
      ctx.report(typeNode, 'invalid_value', `output type '${t}' is not a data type (uri_file, uri_folder, mltable, custom_model, mlflow_model, triton_model)`);
      return undefined;
    }
    if (t !== undefined) out.type = t as DataType;
  }
  const mode = n.get('mode') ? readOutputMode(ctx, n.get('mode')) : undefined;
  if (mode) out.mode = mode;
  const pathNode = n.get('path');
  if (pathNode && pathNode.kind !== 'null') {
    const p = readOutputPath(ctx, pathNode);
    if (p) out.path = p;
  }
  const reg = readRegistration(ctx, n, what);
  if (reg) out.register = reg;
  return out;
}

export function readJobOutput(ctx: LoadContext, n: YNode, name: string): RawOutput | undefined {
  if (n.kind === 'null') return { node: n, bindsTo: [] };
  if (n.kind === 'scalar') {
    const raw = readString(ctx, n, `output '${name}'`);
    if (raw === undefined) return undefined;
    const expr = wholeBinding(raw);
    if (expr?.kind === 'parent_output') return { node: n, bindsTo: [expr.output] };
    ctx.report(n, 'invalid_binding', `output '${name}' can only be bound to \${{parent.outputs.X}}, got '${raw}'`);
    return undefined;
  }
  if (n.kind !== 'map') {
    ctx.report(n, 'invalid_type', `output '${name}' must be empty, a binding or a mapping, got ${describeKind(n)}`);
    return undefined;
  }
  const fields = readOutputFields(ctx, n, `output '${name}'`);
  return fields && { ...fields, bindsTo: [] };
}

export function readPipelineOutput(ctx: LoadContext, n: YNode, name: string): (Omit<PipelineOutputDecl, 'type'> & { type?: DataType; node: YNode }) | undefined {
  if (n.kind === 'null') return { node: n };
  if (n.kind !== 'map') {
    ctx.report(n, 'invalid_type', `pipeline output '${name}' must be empty or a mapping, got ${describeKind(n)}`);
    return undefined;
  }
  return readOutputFields(ctx, n, `pipeline output '${name}'`);
}

export type PipelineInputValue = InputDecl & { value?: LiteralValue; data?: DataRef };

const PIPELINE_INPUT_KEYS = ['type', 'path', 'mode', 'value', 'default', 'description', 'optional', 'enum', 'min', 'max'];

function literalType(v: LiteralValue): PortType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'string';
}

/** An input of a pipeline job: a literal, or data given with `type` and `path`. */
export async function readPipelineInput(ctx: LoadContext, n: YNode, fromFile: string, name: string): Promise<PipelineInputValue | undefined> {
  if (n.kind === 'null') return { type: 'string', optional: true };
  if (n.kind === 'scalar') {
    const v = readLiteral(ctx, n, `pipeline input '${name}'`);
    if (v === undefined) return undefined;
    if (typeof v === 'string' && containsExpression(v)) {
      ctx.report(n, 'invalid_binding', `pipeline input '${name}' cannot hold a binding ('${v}')`);
      return undefined;
    }
    return { type: literalType(v), optional: false, value: v };
  }
  if (n.kind !== 'map') {
    ctx.report(n, 'invalid_type', `pipeline input '${name}' must be a literal or a mapping, got ${describeKind(n)}`);
    return undefined;
  }
  checkKeys(ctx, n, PIPELINE_INPUT_KEYS, `pipeline input '${name}'`);
  const typeNode = n.get('type');
  const declared = typeNode ? readPortType(ctx, typeNode, 'input type') : undefined;
  if (typeNode && !declared) return undefined;
  const out: PipelineInputValue = { type: declared ?? 'uri_folder', optional: readBool(ctx, n.get('optional'), 'optional') ?? false };
  const description = readString(ctx, n.get('description'), 'description');
  if (description !== undefined) out.description = description;
  const pathNode = n.get('path');
  const valueNode = n.get('value') ?? n.get('default');
  if (pathNode) {
    if (declared && isLiteralType(declared)) {
      ctx.report(pathNode, 'invalid_value', `pipeline input '${name}' is of type ${declared}: use 'value', not 'path'`);
      return undefined;
    }
    const raw = readString(ctx, pathNode, 'path');
    if (raw === undefined) return undefined;
    if (containsExpression(raw)) {
      ctx.report(pathNode, 'invalid_binding', `pipeline input '${name}' cannot hold a binding ('${raw}')`);
      return undefined;
    }
    const ref = await readDataPath(ctx, pathNode, fromFile, raw, 'path');
    if (!ref) return undefined;
    out.data = ref;
    const mode = n.get('mode') ? readInputMode(ctx, n.get('mode')) : undefined;
    if (mode) out.mode = mode;
    return out;
  }
  if (valueNode) {
    const v = readLiteral(ctx, valueNode, `pipeline input '${name}' value`);
    if (v === undefined) return undefined;
    out.type = declared ?? literalType(v);
    for (const key of ['min', 'max'] as const) {
      const num = readNumber(ctx, n.get(key), key);
      if (num !== undefined) out[key] = num;
    }
    const enumNode = n.get('enum');
    if (enumNode?.kind === 'seq') out.enum = enumNode.items().map((i) => readLiteral(ctx, i, 'enum value')).filter((x): x is LiteralValue => x !== undefined);
    const checked = checkLiteral(v, out);
    if ('error' in checked) {
      ctx.report(valueNode, 'invalid_value', `pipeline input '${name}' ${checked.error}`);
      return undefined;
    }
    out.value = checked.value;
    out.default = checked.value;
    return out;
  }
  if (out.type && isDataType(out.type) && !out.optional) {
    ctx.report(n, 'missing_field', `pipeline input '${name}' of type ${out.type} needs a 'path'`);
    return undefined;
  }
  return out;
}
