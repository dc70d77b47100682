/**
 * Located problems found while loading a pipeline: one per problem, every one naming
 * file:line:column and the field path, so a person can act on it. Loading collects them all
 * instead of stopping at the first.
 */
import { ValidationError } from '../errors';
import type { SourceLocation } from './plan';

/** Stable problem codes (DESIGN.md fixes the first three; the others are this module's own). */
export type ProblemCode =
  | 'unsupported_job_type'
  | 'unsupported_field'
  | 'missing_path'
  | 'unresolved_reference'
  | 'yaml_syntax'
  | 'unknown_key'
  | 'invalid_type'
  | 'invalid_value'
  | 'missing_field'
  | 'unknown_step'
  | 'unknown_input'
  | 'unknown_output'
  | 'invalid_binding'
  | 'incompatible_binding'
  | 'missing_input'
  | 'cycle'
  | 'unreadable_file'
  | 'path_outside_root'
  | 'unknown_setting';

export interface Problem extends SourceLocation {
  code: ProblemCode;
  /** The reason, without the location (formatProblem adds it). */
  message: string;
  /** For `missing_path`: the missing path, relative to the source root. */
  target?: string;
}

/** `file:line:column: path: message [code]`, the form the CLI prints. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message} [${p.code}]`;
}

export function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

/** Collects problems; the same problem reported twice (e.g. a shared component file) counts once. */
export class Problems {
  private readonly byKey = new Map<string, Problem>();

  add(at: SourceLocation, code: ProblemCode, message: string, target?: string): void {
    const p: Problem = { code, file: at.file, line: at.line, column: at.column, path: at.path, message, ...(target !== undefined ? { target } : {}) };
    const key = JSON.stringify([p.code, p.file, p.line, p.column, p.path, p.message]);
    if (!this.byKey.has(key)) this.byKey.set(key, p);
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): Problem[] {
    return [...this.byKey.values()].sort(compareProblems);
  }
}

/** One ValidationError carrying every problem (for callers that throw rather than branch). */
export function problemsToError(problems: Problem[]): ValidationError {
  const first = problems[0];
  const text = problems.map(formatProblem).join('\n');
  return new ValidationError(first?.code ?? 'invalid_document', text, {
    ...(first ? { file: first.file, line: first.line, column: first.column, path: first.path } : {}),
    details: { problems },
  });
}
