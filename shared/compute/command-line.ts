/**
 * Turns a job's command template into the script `bash -c` runs, the way Azure ML substitutes
 * `${{inputs.X}}` / `${{outputs.X}}`, except that literal values never become code: each literal
 * is handed to the process in an environment variable and its placeholder becomes a reference to
 * that variable, quoted to fit the shell context where the placeholder stands:
 *   bare `echo ${{inputs.s}}`       → `echo "${AZUREML_PARAM_s}"`
 *   double quotes `"x ${{inputs.s}}"` → `"x ${AZUREML_PARAM_s}"`
 *   single quotes `'x ${{inputs.s}}'` → `'x '"${AZUREML_PARAM_s}"''`
 * Paths (data inputs, outputs) are ours, but they are quoted the same way as text. In here-documents
 * an unquoted body gets a bare `${VAR}`, a quoted body the text itself (refused if it would end the body).
 * `$[[ ... ]]` blocks are kept (brackets removed) when every input they name is provided.
 */
import { ValidationError } from '../errors';
import type { LiteralValue } from '../spec/plan';

export type CommandInput =
  | { kind: 'literal'; value: LiteralValue }
  /** A local path (or, for `direct` mode, a URI) substituted as text. */
  | { kind: 'path'; path: string };

export interface CommandLineSpec {
  command: string;
  /** Provided inputs; a name absent here (or undefined) counts as not provided. */
  inputs: Record<string, CommandInput | undefined>;
  outputs: Record<string, string>;
}

export interface CommandLine {
  /** The script for `bash -c`. */
  script: string;
  /** Environment variables the script reads the literals from. */
  env: Record<string, string>;
}

/** Environment variable carrying literal input `name`. */
export function paramEnvName(name: string): string {
  return `AZUREML_PARAM_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** How Azure ML prints a literal in a command: booleans the Python way (`True`/`False`). */
export function literalText(value: LiteralValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

const PLACEHOLDER = /\$\{\{\s*(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;
const ANY_PLACEHOLDER = /\$\{\{\s*(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function buildCommandLine(spec: CommandLineSpec): CommandLine {
  const resolved = resolveOptionalBlocks(spec.command, spec.inputs);
  const env: Record<string, string> = {};
  const script = substitute(resolved, (group, name) => {
    if (group === 'outputs') {
      const out = spec.outputs[name];
      if (out === undefined) throw unknown('output', name);
      return { text: out };
    }
    const input = spec.inputs[name];
    if (input === undefined) throw unknown('input', name);
    if (input.kind === 'path') return { text: input.path };
    const variable = paramEnvName(name);
    const value = literalText(input.value);
    env[variable] = value;
    return { variable, value };
  });
  return { script, env };
}

function unknown(kind: 'input' | 'output', name: string): ValidationError {
  return new ValidationError(
    kind === 'input' ? 'missing_input' : 'unknown_output',
    kind === 'input'
      ? `command uses \${{inputs.${name}}} but input '${name}' has no value (wrap optional inputs in $[[ ... ]])`
      : `command uses \${{outputs.${name}}} but the job has no output '${name}'`,
    { path: `command` },
  );
}

/** Keeps `$[[ ... ]]` blocks whose inputs are all provided (without the brackets), drops the others. */
export function resolveOptionalBlocks(command: string, inputs: Record<string, CommandInput | undefined>): string {
  let result = '';
  let index = 0;
  for (;;) {
    const start = command.indexOf('$[[', index);
    if (start < 0) return result + command.slice(index);
    const end = command.indexOf(']]', start + 3);
    if (end < 0) {
      throw new ValidationError('unclosed_optional_block', `command: '$[[' at offset ${start} has no closing ']]'`, { path: 'command' });
    }
    const body = command.slice(start + 3, end);
    const names = [...body.matchAll(ANY_PLACEHOLDER)].filter((m) => m[1] === 'inputs').map((m) => m[2] as string);
    const keep = names.every((name) => inputs[name] !== undefined);
    result += command.slice(index, start) + (keep ? body : '');
    index = end + 2;
  }
}

/** Paths are text; literals are a variable reference (their value kept for quoted here-documents). */
type Replacement = { text: string } | { variable: string; value: string };
/** Shell contexts tracked while scanning: bare words, "double", 'single', $'ansi', $( ) and ` `. */
type Context = 'bare' | 'double' | 'single' | 'ansi' | 'subst' | 'backtick';

function substitute(command: string, replace: (group: string, name: string) => Replacement): string {
  const stack: Context[] = ['bare'];
  const top = (): Context => stack[stack.length - 1] as Context;
  const pending: Heredoc[] = [];
  let out = '';
  let i = 0;
  while (i < command.length) {
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(command);
    if (match) {
      out += render(replace(match[1] as string, match[2] as string), top());
      i += match[0].length;
      continue;
    }
    const ch = command[i] as string;
    const next = command[i + 1];
    const context = top();
    if (context === 'single') {
      if (ch === "'") stack.pop();
      out += ch; i += 1; continue;
    }
    if (ch === '\\' && context !== 'backtick' && next !== undefined) {
      out += ch + next; i += 2; continue;
    }
    if (context === 'ansi') {
      if (ch === "'") stack.pop();
      out += ch; i += 1; continue;
    }
    if (context === 'double') {
      if (ch === '"') stack.pop();
      else if (ch === '$' && next === '(') { stack.push('subst'); out += '$('; i += 2; continue; }
      else if (ch === '`') stack.push('backtick');
      out += ch; i += 1; continue;
    }
    // bare, subst and backtick contexts: words, quotes, nesting and here-documents.
    if (ch === '<' && next === '<' && command[i + 2] !== '<' && command[i - 1] !== '<') {
      const heredoc = readHeredocOperator(command, i);
      if (heredoc) {
        pending.push(heredoc.doc);
        out += command.slice(i, heredoc.end); i = heredoc.end; continue;
      }
    }
    if (ch === '\n' && pending.length > 0) {
      out += ch; i += 1;
      for (const doc of pending.splice(0)) {
        const body = heredocBody(command, i, doc, replace);
        out += body.text; i = body.end;
      }
      continue;
    }
    if (ch === '#' && atWordStart(command, i)) {
      const end = command.indexOf('\n', i);
      const stop = end < 0 ? command.length : end;
      out += command.slice(i, stop); i = stop; continue;
    }
    if (ch === "'") stack.push('single');
    else if (ch === '"') stack.push('double');
    else if (ch === '$' && next === "'") { stack.push('ansi'); out += "$'"; i += 2; continue; }
    else if (ch === '$' && next === '(') { stack.push('subst'); out += '$('; i += 2; continue; }
    else if (ch === ')' && context === 'subst') stack.pop();
    else if (ch === '`') {
      if (context === 'backtick') stack.pop();
      else stack.push('backtick');
    }
    out += ch; i += 1;
  }
  return out;
}

interface Heredoc {
  delimiter: string;
  /** A quoted delimiter (`<<'EOF'`): the body is taken as it is, nothing expands. */
  quoted: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the delimiter line. */
  stripTabs: boolean;
}

function readHeredocOperator(command: string, start: number): { doc: Heredoc; end: number } | undefined {
  let i = start + 2;
  const stripTabs = command[i] === '-';
  if (stripTabs) i += 1;
  while (command[i] === ' ' || command[i] === '\t') i += 1;
  const word = /^(?:[^\s;&|<>()'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+/.exec(command.slice(i));
  if (!word) return undefined;
  const raw = word[0];
  const quoted = /['"\\]/.test(raw);
  const delimiter = raw.replace(/'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)/g, (_m, sq: string | undefined, dq: string | undefined, esc: string | undefined) =>
    sq ?? (dq !== undefined ? dq.replace(/\\(.)/g, '$1') : esc ?? ''));
  return { doc: { delimiter, quoted, stripTabs }, end: i + raw.length };
}

/**
 * A here-document body up to its delimiter line. Unquoted bodies expand `${VAR}` (but take quote
 * characters literally), so a literal becomes a bare reference; quoted bodies expand nothing, so
 * text goes in as it is, unless one of its lines would end the body early.
 */
function heredocBody(command: string, start: number, doc: Heredoc, replace: (group: string, name: string) => Replacement): { text: string; end: number } {
  let out = '';
  let i = start;
  while (i < command.length) {
    const newline = command.indexOf('\n', i);
    const lineEnd = newline < 0 ? command.length : newline;
    const line = command.slice(i, lineEnd);
    const next = newline < 0 ? command.length : newline + 1;
    if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
      return { text: out + command.slice(i, next), end: next };
    }
    out += line.replace(ANY_PLACEHOLDER, (_m, group: string, name: string) => {
      const replacement = replace(group, name);
      if (!doc.quoted) return 'variable' in replacement ? `\${${replacement.variable}}` : replacement.text.replace(/[\\$`]/g, (c) => `\\${c}`);
      const text = 'variable' in replacement ? replacement.value : replacement.text;
      if (text.split('\n').some((l) => (doc.stripTabs ? l.replace(/^\t+/, '') : l) === doc.delimiter)) {
        throw new ValidationError('unsafe_heredoc_value', `command: the value of \${{${group}.${name}}} contains the here-document delimiter line '${doc.delimiter}'`, { path: 'command' });
      }
      return text;
    }) + command.slice(lineEnd, next);
    i = next;
  }
  return { text: out, end: i };
}

function atWordStart(text: string, index: number): boolean {
  return index === 0 || /[\s;&|()<>]/.test(text[index - 1] as string);
}

function render(replacement: Replacement, context: Context): string {
  const reference = 'variable' in replacement ? `\${${replacement.variable}}` : undefined;
  switch (context) {
    case 'double':
      return reference ?? escapeForDoubleQuotes(replacement as { text: string });
    case 'single':
      return `'${reference ? `"${reference}"` : singleQuote((replacement as { text: string }).text)}'`;
    case 'ansi':
      return `'${reference ? `"${reference}"` : singleQuote((replacement as { text: string }).text)}$'`;
    default:
      return reference ? `"${reference}"` : singleQuote((replacement as { text: string }).text);
  }
}

function escapeForDoubleQuotes(replacement: { text: string }): string {
  return replacement.text.replace(/[\\$`"]/g, (c) => `\\${c}`);
}

/** A single-quoted shell word for any text. */
export function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
