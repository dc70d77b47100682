/** Fields of command jobs and components: command templates, resources, distribution, limits. */
import { exprText, scanTemplate } from './expressions';
import { checkKeys, expectMap, readInt, readLiteral, readString } from './fields';
import type { LoadContext } from './load-context';
import type { InputDecl, LiteralValue, OutputDecl } from './plan';
import type { YNode } from './yaml-node';

export interface Resources {
  instanceCount?: number;
  instanceType?: string;
  shmSize?: string;
}

const RESOURCE_KEYS = ['instance_count', 'instance_type', 'shm_size', 'properties', 'docker_args', 'locations'];
const LIMIT_KEYS = ['timeout'];
const DISTRIBUTION_KEYS: Record<string, string[]> = {
  mpi: ['type', 'process_count_per_instance'],
  pytorch: ['type', 'process_count_per_instance'],
  tensorflow: ['type', 'worker_count', 'parameter_server_count'],
  ray: ['type', 'port', 'address', 'include_dashboard', 'dashboard_port', 'head_node_additional_args', 'worker_node_additional_args'],
};

export function readResources(ctx: LoadContext, n: YNode | undefined): Resources | undefined {
  if (!n || n.kind === 'null' || !expectMap(ctx, n, 'resources')) return undefined;
  checkKeys(ctx, n, RESOURCE_KEYS, 'resources');
  const r: Resources = {};
  const count = readInt(ctx, n.get('instance_count'), 'resources.instance_count', 1);
  if (count !== undefined) r.instanceCount = count;
  const type = readString(ctx, n.get('instance_type'), 'resources.instance_type');
  if (type !== undefined) r.instanceType = type;
  const shm = readString(ctx, n.get('shm_size'), 'resources.shm_size');
  if (shm !== undefined) r.shmSize = shm;
  return r;
}

/** `limits.timeout` in seconds. */
export function readTimeout(ctx: LoadContext, n: YNode | undefined): number | undefined {
  if (!n || n.kind === 'null' || !expectMap(ctx, n, 'limits')) return undefined;
  checkKeys(ctx, n, LIMIT_KEYS, 'limits');
  return readInt(ctx, n.get('timeout'), 'limits.timeout', 1);
}

export function readDistribution(ctx: LoadContext, n: YNode | undefined): Record<string, LiteralValue> | undefined {
  if (!n || n.kind === 'null' || !expectMap(ctx, n, 'distribution')) return undefined;
  const typeNode = n.get('type');
  const type = readString(ctx, typeNode, 'distribution.type');
  if (!typeNode) {
    ctx.report(n, 'missing_field', `distribution needs a 'type' (${Object.keys(DISTRIBUTION_KEYS).join(', ')})`);
    return undefined;
  }
  if (type === undefined) return undefined;
  const allowed = DISTRIBUTION_KEYS[type];
  if (!allowed) {
    ctx.report(typeNode, 'invalid_value', `distribution type '${type}' is not one of ${Object.keys(DISTRIBUTION_KEYS).join(', ')}`);
    return undefined;
  }
  checkKeys(ctx, n, allowed, `${type} distribution`);
  const out: Record<string, LiteralValue> = {};
  for (const [key, child] of n.entries()) {
    if (!allowed.includes(key)) continue;
    const v = readLiteral(ctx, child, `distribution.${key}`);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Checks a command template against the ports it may use: `${{inputs.X}}` and `${{outputs.X}}`
 * must exist, and a `$[[ ... ]]` block must reference optional inputs only (and at least one).
 */
export function checkCommandTemplate(
  ctx: LoadContext,
  at: YNode,
  text: string,
  inputs: Record<string, Pick<InputDecl, 'optional'>>,
  outputs: Record<string, OutputDecl | unknown>,
): void {
  const scan = scanTemplate(text);
  for (const e of scan.errors) ctx.report(at, 'invalid_binding', `command: ${e}`);
  const blocksWithOptional = new Set<number>();
  for (const ref of scan.refs) {
    const e = ref.expr;
    if (e.kind === 'inputs') {
      const decl = inputs[e.input];
      if (!decl) {
        ctx.report(at, 'unknown_input', `command uses \${{inputs.${e.input}}}, which is not an input (inputs: ${Object.keys(inputs).join(', ') || 'none'})`);
      } else if (ref.block !== undefined) {
        if (decl.optional) blocksWithOptional.add(ref.block);
        else ctx.report(at, 'invalid_binding', `optional block $[[...]] uses required input '${e.input}'; only optional inputs belong in $[[...]]`);
      }
    } else if (e.kind === 'outputs') {
      if (!(e.output in outputs)) {
        ctx.report(at, 'unknown_output', `command uses \${{outputs.${e.output}}}, which is not an output (outputs: ${Object.keys(outputs).join(', ') || 'none'})`);
      }
    } else {
      ctx.report(at, 'invalid_binding', `command uses \${{${exprText(e)}}}; a command may only use \${{inputs.X}} and \${{outputs.X}}`);
    }
  }
  for (let b = 0; b < scan.blocks; b++) {
    if (!blocksWithOptional.has(b) && !scan.refs.some((r) => r.block === b && r.expr.kind === 'inputs' && inputs[r.expr.input] && !inputs[r.expr.input]!.optional)) {
      ctx.report(at, 'invalid_binding', `optional block $[[...]] number ${b + 1} references no optional input`);
    }
  }
}
