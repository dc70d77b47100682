/**
 * `${{ ... }}` data-binding expressions and `$[[ ... ]]` optional blocks, as Azure ML writes them
 * in pipeline YAML and command templates.
 */

export type BindingExpr =
  | { kind: 'parent_input'; input: string }
  | { kind: 'parent_output'; output: string }
  | { kind: 'step_output'; step: string; output: string }
  | { kind: 'inputs'; input: string }
  | { kind: 'outputs'; output: string }
  | { kind: 'other'; text: string };

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const WHOLE = /^\s*\$\{\{\s*(.*?)\s*\}\}\s*$/s;
const PATTERNS: [RegExp, (m: RegExpMatchArray) => BindingExpr][] = [
  [new RegExp(`^parent\\.inputs\\.(${NAME})$`), (m) => ({ kind: 'parent_input', input: m[1]! })],
  [new RegExp(`^parent\\.outputs\\.(${NAME})$`), (m) => ({ kind: 'parent_output', output: m[1]! })],
  [new RegExp(`^parent\\.jobs\\.(${NAME})\\.outputs\\.(${NAME})$`), (m) => ({ kind: 'step_output', step: m[1]!, output: m[2]! })],
  [new RegExp(`^inputs\\.(${NAME})$`), (m) => ({ kind: 'inputs', input: m[1]! })],
  [new RegExp(`^outputs\\.(${NAME})$`), (m) => ({ kind: 'outputs', output: m[1]! })],
];

export function parseExpr(inner: string): BindingExpr {
  const text = inner.trim();
  for (const [re, make] of PATTERNS) {
    const m = text.match(re);
    if (m) return make(m);
  }
  return { kind: 'other', text };
}

/** The expression when `value` is exactly one `${{ ... }}`; undefined for plain strings. */
export function wholeBinding(value: string): BindingExpr | undefined {
  const m = value.match(WHOLE);
  return m ? parseExpr(m[1]!) : undefined;
}

export function containsExpression(value: string): boolean {
  return value.includes('${{');
}

export interface TemplateRef {
  expr: BindingExpr;
  /** Inside a `$[[ ... ]]` optional block. */
  optionalBlock: boolean;
  /** Index of the optional block it is in (for "block references no optional input" checks). */
  block?: number;
}

export interface TemplateScan {
  refs: TemplateRef[];
  /** Number of `$[[ ... ]]` blocks. */
  blocks: number;
  /** Structural problems (unclosed `${{`, nested or unclosed `$[[`). */
  errors: string[];
}

/** Finds every `${{ ... }}` in a command or argument template, noting which are in optional blocks. */
export function scanTemplate(template: string): TemplateScan {
  const refs: TemplateRef[] = [];
  const errors: string[] = [];
  let blocks = 0;
  let inBlock: number | undefined;
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('${{', i)) {
      const end = template.indexOf('}}', i + 3);
      if (end < 0) {
        errors.push(`unclosed '\${{' at offset ${i}`);
        break;
      }
      refs.push({ expr: parseExpr(template.slice(i + 3, end)), optionalBlock: inBlock !== undefined, ...(inBlock !== undefined ? { block: inBlock } : {}) });
      i = end + 2;
    } else if (template.startsWith('$[[', i)) {
      if (inBlock !== undefined) errors.push(`nested '$[[' at offset ${i}`);
      inBlock = blocks++;
      i += 3;
    } else if (template.startsWith(']]', i) && inBlock !== undefined) {
      inBlock = undefined;
      i += 2;
    } else i++;
  }
  if (inBlock !== undefined) errors.push(`unclosed '$[[' optional block`);
  return { refs, blocks, errors };
}

export function exprText(e: BindingExpr): string {
  switch (e.kind) {
    case 'parent_input':
      return `parent.inputs.${e.input}`;
    case 'parent_output':
      return `parent.outputs.${e.output}`;
    case 'step_output':
      return `parent.jobs.${e.step}.outputs.${e.output}`;
    case 'inputs':
      return `inputs.${e.input}`;
    case 'outputs':
      return `outputs.${e.output}`;
    default:
      return e.text;
  }
}
