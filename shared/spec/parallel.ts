/** `type: parallel` fields: mini-batching of the input data, error threshold, retries and the task. */
import { readDataPath } from './data-ref';
import { readEnvironment } from './environment';
import { scanTemplate, wholeBinding } from './expressions';
import { checkKeys, describeKind, expectMap, readInt, readString } from './fields';
import type { LoadContext } from './load-context';
import type { DataRef, EnvironmentRef, MiniBatchSize, ParallelSettings, RetrySettings } from './plan';
import type { YNode } from './yaml-node';

/** Fields of a parallel job or component besides the common ones. */
export const PARALLEL_FIELDS = ['input_data', 'mini_batch_size', 'mini_batch_error_threshold', 'error_threshold', 'max_concurrency_per_instance', 'logging_level', 'retry_settings', 'task', 'partition_keys'];
const TASK_KEYS = ['type', 'code', 'entry_script', 'program_arguments', 'append_row_to', 'environment'];
const RETRY_KEYS = ['max_retries', 'timeout'];
const LOGGING_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const UNITS: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `mini_batch_size`: a file count (`5`, `"5"`) or a size (`"10kb"`, `"1mb"`, `"1gb"`). */
export function parseMiniBatchSize(value: unknown): MiniBatchSize | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? { kind: 'count', files: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? { kind: 'count', files: Number(text) } : undefined;
  const m = text.match(/^(\d+)\s*(kb|mb|gb)$/);
  return m && Number(m[1]) > 0 ? { kind: 'bytes', bytes: Number(m[1]) * UNITS[m[2]!]! } : undefined;
}

export function readRetrySettings(ctx: LoadContext, n: YNode | undefined): RetrySettings | undefined {
  if (!n || n.kind === 'null' || !expectMap(ctx, n, 'retry_settings')) return undefined;
  checkKeys(ctx, n, RETRY_KEYS, 'retry_settings');
  const maxRetries = readInt(ctx, n.get('max_retries'), 'retry_settings.max_retries', 0);
  const timeout = readInt(ctx, n.get('timeout'), 'retry_settings.timeout', 1);
  return { maxRetries: maxRetries ?? 3, ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}) };
}

/** What a parallel job or component says; a job's fields override its component's. */
export interface ParallelDraft {
  inputData?: { name: string; node: YNode };
  miniBatchSize?: MiniBatchSize;
  errorThreshold?: number;
  maxConcurrencyPerInstance?: number;
  retry?: RetrySettings;
  loggingLevel?: string;
  task?: {
    node: YNode;
    code?: DataRef;
    entryScript?: string;
    programArguments?: { text: string; node: YNode };
    appendRowTo?: { name: string; node: YNode };
    environment?: EnvironmentRef;
  };
}

export async function readParallelDraft(ctx: LoadContext, n: YNode, fromFile: string): Promise<ParallelDraft> {
  const d: ParallelDraft = {};
  const inputData = n.get('input_data');
  if (inputData) {
    const raw = readString(ctx, inputData, 'input_data');
    const expr = raw === undefined ? undefined : wholeBinding(raw);
    if (expr?.kind === 'inputs') d.inputData = { name: expr.input, node: inputData };
    else if (raw !== undefined) ctx.report(inputData, 'invalid_binding', `input_data must be \${{inputs.NAME}} naming one of the step's inputs, got '${raw}'`);
  }
  const mbs = n.get('mini_batch_size');
  if (mbs && mbs.kind !== 'null') {
    const parsed = parseMiniBatchSize(mbs.value);
    if (parsed) d.miniBatchSize = parsed;
    else ctx.report(mbs, 'invalid_value', `mini_batch_size must be a positive file count or a size such as 10kb, 1mb, 1gb; got ${describeKind(mbs)}`);
  }
  const threshold = n.get('mini_batch_error_threshold') ?? n.get('error_threshold');
  const t = readInt(ctx, threshold, 'mini_batch_error_threshold', -1);
  if (t !== undefined) d.errorThreshold = t;
  const mc = readInt(ctx, n.get('max_concurrency_per_instance'), 'max_concurrency_per_instance', 1);
  if (mc !== undefined) d.maxConcurrencyPerInstance = mc;
  const retry = readRetrySettings(ctx, n.get('retry_settings'));
  if (retry) d.retry = retry;
  const levelNode = n.get('logging_level');
  const level = readString(ctx, levelNode, 'logging_level');
  if (level !== undefined) {
    if (LOGGING_LEVELS.includes(level.toUpperCase())) d.loggingLevel = level.toUpperCase();
    else ctx.report(levelNode!, 'invalid_value', `logging_level '${level}' is not one of ${LOGGING_LEVELS.join(', ')}`);
  }
  const task = n.get('task');
  if (task && task.kind !== 'null' && expectMap(ctx, task, 'task')) d.task = await readTask(ctx, task, fromFile);
  return d;
}

async function readTask(ctx: LoadContext, n: YNode, fromFile: string): Promise<NonNullable<ParallelDraft['task']>> {
  checkKeys(ctx, n, TASK_KEYS, 'task');
  const task: NonNullable<ParallelDraft['task']> = { node: n };
  const typeNode = n.get('type');
  const type = readString(ctx, typeNode, 'task.type');
  if (type !== undefined && type !== 'run_function') ctx.report(typeNode!, 'invalid_value', `task.type '${type}' is not supported (only run_function)`);
  const codeNode = n.get('code');
  const code = readString(ctx, codeNode, 'task.code');
  if (codeNode && code !== undefined) {
    const ref = await readDataPath(ctx, codeNode, fromFile, code, 'folder');
    if (ref) task.code = ref;
  }
  const entry = readString(ctx, n.get('entry_script'), 'task.entry_script');
  if (entry !== undefined) task.entryScript = entry;
  else if (!n.get('entry_script')) ctx.report(n, 'missing_field', `task needs an 'entry_script'`);
  const argsNode = n.get('program_arguments');
  const args = readString(ctx, argsNode, 'task.program_arguments');
  if (args !== undefined) task.programArguments = { text: args, node: argsNode! };
  const appendNode = n.get('append_row_to');
  const append = readString(ctx, appendNode, 'task.append_row_to');
  if (append !== undefined) {
    const expr = wholeBinding(append);
    if (expr?.kind === 'outputs') task.appendRowTo = { name: expr.output, node: appendNode! };
    else ctx.report(appendNode!, 'invalid_binding', `append_row_to must be \${{outputs.NAME}} naming one of the step's outputs, got '${append}'`);
  }
  const env = await readEnvironment(ctx, n.get('environment'), fromFile);
  if (env) task.environment = env;
  return task;
}

/** Merges a component's parallel draft with the job's (the job wins) and checks the result. */
export function finishParallel(
  ctx: LoadContext,
  at: YNode,
  component: ParallelDraft,
  job: ParallelDraft,
  ports: { inputs: string[]; outputs: string[] },
  instanceCount: number,
): ParallelSettings | undefined {
  const inputData = job.inputData ?? component.inputData;
  const task = job.task ?? component.task;
  let ok = true;
  if (!inputData) {
    ctx.report(at, 'missing_field', `a parallel step needs 'input_data: \${{inputs.NAME}}'`);
    ok = false;
  } else if (!ports.inputs.includes(inputData.name)) {
    ctx.report(inputData.node, 'unknown_input', `input_data names input '${inputData.name}', which the step does not have (inputs: ${ports.inputs.join(', ') || 'none'})`);
    ok = false;
  }
  if (!task) {
    ctx.report(at, 'missing_field', `a parallel step needs a 'task'`);
    return undefined;
  }
  if (task.appendRowTo && !ports.outputs.includes(task.appendRowTo.name)) {
    ctx.report(task.appendRowTo.node, 'unknown_output', `append_row_to names output '${task.appendRowTo.name}', which the step does not have (outputs: ${ports.outputs.join(', ') || 'none'})`);
    ok = false;
  }
  if (task.programArguments) {
    const scan = scanTemplate(task.programArguments.text);
    for (const e of scan.errors) ctx.report(task.programArguments.node, 'invalid_binding', `program_arguments: ${e}`);
    for (const r of scan.refs) {
      if (r.expr.kind === 'inputs' && !ports.inputs.includes(r.expr.input)) {
        ctx.report(task.programArguments.node, 'unknown_input', `program_arguments uses \${{inputs.${r.expr.input}}}, which the step does not have`);
        ok = false;
      } else if (r.expr.kind === 'outputs' && !ports.outputs.includes(r.expr.output)) {
        ctx.report(task.programArguments.node, 'unknown_output', `program_arguments uses \${{outputs.${r.expr.output}}}, which the step does not have`);
        ok = false;
      } else if (r.expr.kind !== 'inputs' && r.expr.kind !== 'outputs') {
        ctx.report(task.programArguments.node, 'invalid_binding', `program_arguments may only use \${{inputs.X}} and \${{outputs.X}}`);
        ok = false;
      }
    }
  }
  if (!ok || !inputData || task.entryScript === undefined) return undefined;
  return {
    inputData: inputData.name,
    miniBatchSize: job.miniBatchSize ?? component.miniBatchSize ?? { kind: 'count', files: 10 },
    errorThreshold: job.errorThreshold ?? component.errorThreshold ?? -1,
    maxConcurrencyPerInstance: job.maxConcurrencyPerInstance ?? component.maxConcurrencyPerInstance ?? 1,
    instanceCount,
    retry: job.retry ?? component.retry ?? { maxRetries: 3, timeoutSeconds: 30 },
    task: {
      type: 'run_function',
      ...(task.code ? { code: task.code } : {}),
      entryScript: task.entryScript,
      ...(task.programArguments ? { programArguments: task.programArguments.text } : {}),
      ...(task.appendRowTo ? { appendRowTo: task.appendRowTo.name } : {}),
      environment: task.environment ?? { kind: 'none' },
    },
    ...((job.loggingLevel ?? component.loggingLevel) ? { loggingLevel: job.loggingLevel ?? component.loggingLevel } : {}),
  };
}
