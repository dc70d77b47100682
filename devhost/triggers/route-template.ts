import { ConfigurationError } from '../../shared/errors';

/**
 * HTTP trigger route templates with the Functions host's (ASP.NET) syntax: literal segments,
 * `{name}`, `{name?}` (optional, last), `{name:constraint}` (int, long, bool, guid, alpha,
 * double, float, decimal, datetime, min(n), max(n), minlength(n), maxlength(n), length(n),
 * range(a,b), regex(...)), `{name=default}` and `{*rest}` (catch-all, last). Literals match
 * case-insensitively, values are URL-decoded.
 */
export interface CompiledRoute {
  template: string;
  /** Sort key: literal segments before constrained parameters before parameters before catch-alls. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

interface Param {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: ((value: string) => boolean)[];
}

const CONSTRAINTS: Record<string, (arg: string | undefined) => (v: string) => boolean> = {
  int: () => (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: () => (v) => /^-?\d+$/.test(v),
  bool: () => (v) => /^(true|false)$/i.test(v),
  guid: () => (v) => /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(v),
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  double: () => (v) => v.trim() !== '' && !Number.isNaN(Number(v)),
  float: () => (v) => v.trim() !== '' && !Number.isNaN(Number(v)),
  decimal: () => (v) => /^-?\d+(\.\d+)?$/.test(v),
  datetime: () => (v) => !Number.isNaN(Date.parse(v)),
  min: (a) => (v) => /^-?\d+$/.test(v) && Number(v) >= Number(a),
  max: (a) => (v) => /^-?\d+$/.test(v) && Number(v) <= Number(a),
  minlength: (a) => (v) => v.length >= Number(a),
  maxlength: (a) => (v) => v.length <= Number(a),
  length: (a) => {
    const [lo, hi] = (a ?? '').split(',').map(Number);
    return (v) => (hi === undefined ? v.length === lo : v.length >= (lo ?? 0) && v.length <= hi);
  },
  range: (a) => {
    const [lo, hi] = (a ?? '').split(',').map(Number);
    return (v) => /^-?\d+$/.test(v) && Number(v) >= (lo ?? -Infinity) && Number(v) <= (hi ?? Infinity);
  },
  regex: (a) => {
    const re = new RegExp(a ?? '', 'i');
    return (v) => re.test(v);
  },
};

function parseParam(text: string, template: string): Param {
  // {*rest}  {name?}  {name=default}  {name:int:min(1)}
  let body = text;
  const catchAll = body.startsWith('*');
  if (catchAll) body = body.replace(/^\*+/, '');
  const colon = body.indexOf(':');
  const head = colon === -1 ? body : body.slice(0, colon);
  const constraintText = colon === -1 ? '' : body.slice(colon + 1);
  let name = head;
  let optional = false;
  let defaultValue: string | undefined;
  if (name.endsWith('?')) {
    optional = true;
    name = name.slice(0, -1);
  }
  const eq = name.indexOf('=');
  if (eq !== -1) {
    defaultValue = name.slice(eq + 1);
    name = name.slice(0, eq);
    optional = true;
  }
  if (constraintText.endsWith('?')) optional = true;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConfigurationError(`route '${template}'`, `has an invalid parameter name '{${text}}'`);
  const constraints = constraintText
    .replace(/\?$/, '')
    .split(/:(?![^(]*\))/)
    .filter(Boolean)
    .map((c) => {
      const m = /^([a-z]+)(?:\((.*)\))?$/i.exec(c);
      const make = m?.[1] ? CONSTRAINTS[m[1].toLowerCase()] : undefined;
      if (!m || !make) throw new ConfigurationError(`route '${template}'`, `has an unknown constraint '${c}'`);
      return make(m[2]);
    });
  return { name, optional: optional || catchAll, catchAll, defaultValue, constraints };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileRoute(template: string): CompiledRoute {
  const clean = template.replace(/^[~/]+|\/+$/g, '');
  const segments = clean === '' ? [] : clean.split('/');
  const params: Param[] = [];
  const precedence: number[] = [];
  let pattern = '^';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const parts = segment.split(/(\{[^{}]+\})/).filter(Boolean);
    if (parts.length === 0) throw new ConfigurationError(`route '${template}'`, 'has an empty segment');
    const whole = parts.length === 1 && parts[0]!.startsWith('{');
    if (whole) {
      const param = parseParam(parts[0]!.slice(1, -1), template);
      if ((param.catchAll || param.optional) && !last) {
        throw new ConfigurationError(`route '${template}'`, `'{${parts[0]}}' must be the last segment`);
      }
      params.push(param);
      precedence.push(param.catchAll ? 5 : param.constraints.length ? 3 : 4);
      const capture = param.catchAll ? '(.*)' : '([^/]+)';
      pattern += param.optional ? `(?:/${capture})?` : `/${capture}`;
      return;
    }
    precedence.push(parts.some((p) => p.startsWith('{')) ? 2 : 1);
    pattern += '/';
    for (const part of parts) {
      if (part.startsWith('{')) {
        const param = parseParam(part.slice(1, -1), template);
        if (param.catchAll || param.optional) throw new ConfigurationError(`route '${template}'`, `'${part}' cannot be optional inside a segment`);
        params.push(param);
        pattern += '([^/]+?)';
      } else {
        pattern += escapeRegex(part);
      }
    }
  });
  pattern += '/?$';
  const regex = new RegExp(pattern, 'i');

  return {
    template,
    precedence,
    match(path) {
      const m = regex.exec(path);
      if (!m) return undefined;
      const values: Record<string, string> = {};
      for (let i = 0; i < params.length; i++) {
        const param = params[i]!;
        const raw = m[i + 1];
        if (raw === undefined || raw === '') {
          if (!param.optional) return undefined;
          if (param.defaultValue !== undefined) values[param.name] = param.defaultValue;
          continue;
        }
        let value: string;
        try {
          value = param.catchAll ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
        } catch {
          return undefined;
        }
        if (!param.constraints.every((ok) => ok(value))) return undefined;
        values[param.name] = value;
      }
      return values;
    },
  };
}

/** Orders routes the way ASP.NET picks among several matching templates. */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const x = a.precedence[i] ?? 0;
    const y = b.precedence[i] ?? 0;
    if (x !== y) return x - y;
  }
  return b.precedence.length - a.precedence.length;
}
