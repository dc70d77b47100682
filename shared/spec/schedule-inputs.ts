/**
 * Expressions a schedule's `create_job` inputs may hold, resolved when a trigger fires:
 * - `${{name}}`: the name of the job the schedule creates (Azure ML's meaning), i.e. the run id;
 * - `${{creation_context.trigger_time}}`: the fire time (ISO 8601, UTC);
 * - `${{trigger.blob.uri}}`, `${{trigger.blob.path}}`, `${{trigger.blob.etag}}`: the blob that
 *   started the run (blob triggers, one run per blob);
 * - for a batch (batch window or marker): `${{trigger.folder.uri}}` / `.path` (marker batches),
 *   `${{trigger.blobs.uris}}` / `.paths` (newline-separated in a string). An input that is exactly
 *   `${{trigger.blob.uri}}` binds the batch as data: a `uri_folder` input for a marker batch, a
 *   `uri_file_list` input (this product's list form) for a batch window.
 * Other `${{...}}` text is left as written (the pipeline layer binds its own expressions).
 */
import { ValidationError } from '../errors';
import type { LiteralValue } from './plan';
import type { Schedule, ScheduleInputValue } from './schedule';

export interface TriggerBlobInfo {
  /** `azureml://datastores/D/paths/P`. */
  uri: string;
  /** The path inside the datastore. */
  path: string;
  etag: string;
}

export interface TriggerBatchInfo {
  blobs: TriggerBlobInfo[];
  /** Marker batches: the folder the marker closed. */
  folder?: { uri: string; path: string };
}

export interface ScheduleInputContext {
  triggerTime: Date;
  /** The run id of the job being created; what `${{name}}` means. */
  runId?: string;
  blob?: TriggerBlobInfo;
  batch?: TriggerBatchInfo;
}

/** An input once resolved: a literal, a data input (`type`, `path`, ...), or a list of files. */
export type ResolvedScheduleInput =
  | LiteralValue
  | { [field: string]: LiteralValue }
  | { type: 'uri_file_list'; paths: string[] };

const EXPR = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const WHOLE = /^\s*\$\{\{\s*trigger\.blob\.uri\s*\}\}\s*$/;

function unavailable(expr: string, why: string): ValidationError {
  return new ValidationError('unresolved_expression', `\${{${expr}}} cannot be resolved: ${why}`, { path: 'create_job.inputs' });
}

function valueOf(expr: string, ctx: ScheduleInputContext): string | undefined {
  const blobField = /^trigger\.blob\.(uri|path|etag)$/.exec(expr)?.[1] as keyof TriggerBlobInfo | undefined;
  switch (true) {
    case expr === 'name':
      if (ctx.runId === undefined) throw unavailable(expr, 'no run id given');
      return ctx.runId;
    case expr === 'creation_context.trigger_time':
      return ctx.triggerTime.toISOString();
    case blobField !== undefined:
      if (!ctx.blob) throw unavailable(expr, ctx.batch ? 'this run is a batch: use trigger.blobs or trigger.folder' : 'the run was not started by a blob');
      return ctx.blob[blobField];
    case expr === 'trigger.folder.uri' || expr === 'trigger.folder.path':
      if (!ctx.batch?.folder) throw unavailable(expr, 'the run was not started by a marker file');
      return expr.endsWith('uri') ? ctx.batch.folder.uri : ctx.batch.folder.path;
    case expr === 'trigger.blobs.uris' || expr === 'trigger.blobs.paths':
      if (!ctx.batch) throw unavailable(expr, 'the run was not started by a batch of blobs');
      return ctx.batch.blobs.map((b) => (expr.endsWith('uris') ? b.uri : b.path)).join('\n');
    default:
      return undefined;
  }
}

function substitute(text: string, ctx: ScheduleInputContext): string {
  return text.replace(EXPR, (whole: string, expr: string) => valueOf(expr, ctx) ?? whole);
}

function resolveValue(value: ScheduleInputValue, ctx: ScheduleInputContext): ResolvedScheduleInput {
  if (typeof value === 'string') {
    if (ctx.batch && !ctx.blob && WHOLE.test(value)) {
      return ctx.batch.folder
        ? { type: 'uri_folder', path: ctx.batch.folder.uri }
        : { type: 'uri_file_list', paths: ctx.batch.blobs.map((b) => b.uri) };
    }
    return substitute(value, ctx);
  }
  if (typeof value !== 'object') return value;
  const wholeBatch = ctx.batch && !ctx.blob && typeof value.path === 'string' && WHOLE.test(value.path);
  const out: Record<string, LiteralValue> = {};
  for (const [field, v] of Object.entries(value)) {
    if (!(wholeBatch && field === 'path')) out[field] = typeof v === 'string' ? substitute(v, ctx) : v;
  }
  if (wholeBatch && ctx.batch) {
    if (ctx.batch.folder) return { ...out, type: 'uri_folder', path: ctx.batch.folder.uri };
    return { type: 'uri_file_list', paths: ctx.batch.blobs.map((b) => b.uri) };
  }
  return out;
}

/** The schedule's `create_job.inputs` with its expressions resolved for one firing. */
export function resolveScheduleInputs(schedule: Schedule, ctx: ScheduleInputContext): Record<string, ResolvedScheduleInput> {
  const out: Record<string, ResolvedScheduleInput> = {};
  for (const [name, value] of Object.entries(schedule.createJob.inputs)) {
    try {
      out[name] = resolveValue(value, ctx);
    } catch (err) {
      if (err instanceof ValidationError) {
        throw new ValidationError(err.code, `create_job.inputs.${name}: ${err.message}`, { file: schedule.file, path: `create_job.inputs.${name}` });
      }
      throw err;
    }
  }
  return out;
}
