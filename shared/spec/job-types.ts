/** Which Azure ML job and component types this product runs; the others are refused by name. */
import type { LoadContext } from './load-context';
import type { YNode } from './yaml-node';

export type SupportedType = 'command' | 'parallel' | 'pipeline';
const SUPPORTED: readonly SupportedType[] = ['command', 'parallel', 'pipeline'];
/** Azure ML types this product knows of but does not run. */
const KNOWN_UNSUPPORTED = ['sweep', 'automl', 'spark', 'import', 'data_transfer', 'flow', 'finetuning', 'distillation', 'batch_deployment'];

/** The type when supported; else reports `unsupported_job_type` naming it and returns undefined. */
export function supportedType(ctx: LoadContext, n: YNode, type: string, what: 'job' | 'component' | 'step'): SupportedType | undefined {
  if ((SUPPORTED as readonly string[]).includes(type)) return type as SupportedType;
  const known = KNOWN_UNSUPPORTED.includes(type) ? `Azure ML ${what} type '${type}'` : `unknown ${what} type '${type}'`;
  ctx.report(n, 'unsupported_job_type', `${known} is not supported by amlsched (supported: ${SUPPORTED.join(', ')}); nothing was run`);
  return undefined;
}
