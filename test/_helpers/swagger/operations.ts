/**
 * Finds the Swagger operation a request addresses (method + path template) and validates the
 * request against it: path parameter patterns, required/enum query parameters, and the body
 * against the body parameter's schema. Responses are validated against the operation's schemas.
 */
import path from 'node:path';
import { type Located, type Schema } from './spec-files';
import { type Violation, type SwaggerValidator } from './validator';

export interface MatchedOperation {
  operationId: string;
  file: string;
  /** Path parameter values, decoded. */
  params: Record<string, string>;
  operation: Schema;
  pathItem: Schema;
}

interface Template { file: string; template: string; regex: RegExp; names: string[]; pathItem: Schema }

export class SpecOperations {
  private readonly templates: Template[] = [];

  /** `files`: spec files relative to the spec root, e.g. `2025-12-01/mfe.json`. */
  constructor(readonly validator: SwaggerValidator, files: string[]) {
    for (const rel of files) {
      const file = path.join(validator.files.root, rel);
      const paths = (validator.files.doc(file).paths ?? {}) as Record<string, Schema>;
      for (const [template, pathItem] of Object.entries(paths)) {
        const names: string[] = [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => { names.push(name); return '([^/]+)'; });
        this.templates.push({ file, template, regex: new RegExp(`^${source}$`, 'i'), names, pathItem });
      }
    }
    // When two templates match one path, the one with fewer parameters (more literal segments) wins.
    this.templates.sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, pathname: string): MatchedOperation | undefined {
    for (const t of this.templates) {
      const m = t.regex.exec(pathname);
      const operation = t.pathItem[method.toLowerCase()] as Schema | undefined;
      if (!m || !operation) continue;
      const params: Record<string, string> = {};
      t.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1] ?? ''); });
      return { operationId: String(operation.operationId), file: t.file, params, operation, pathItem: t.pathItem };
    }
    return undefined;
  }

  private parameters(op: MatchedOperation): Located[] {
    const raw = [...((op.pathItem.parameters as Schema[] | undefined) ?? []), ...((op.operation.parameters as Schema[] | undefined) ?? [])];
    return raw.map((p) => this.validator.files.deref({ schema: p, file: op.file }));
  }

  validateRequest(op: MatchedOperation, query: URLSearchParams, body: unknown): Violation[] {
    const out: Violation[] = [];
    let bodyParam: Located | undefined;
    for (const param of this.parameters(op)) {
      const p = param.schema;
      const name = String(p.name);
      if (p.in === 'body') { bodyParam = param; continue; }
      const value = p.in === 'path' ? op.params[name] : p.in === 'query' ? query.get(name) ?? undefined : undefined;
      if (p.in !== 'path' && p.in !== 'query') continue;
      if (value === undefined) {
        if (p.required === true) out.push({ path: `${p.in}.${name}`, message: 'is required' });
        continue;
      }
      if (Array.isArray(p.enum) && !p.enum.includes(value)) out.push({ path: `${p.in}.${name}`, message: `${JSON.stringify(value)} is not one of ${p.enum.join(', ')}` });
      if (typeof p.pattern === 'string' && !new RegExp(p.pattern).test(value)) out.push({ path: `${p.in}.${name}`, message: `${JSON.stringify(value)} does not match ${p.pattern}` });
      if (p.type === 'integer' && !/^-?\d+$/.test(value)) out.push({ path: `${p.in}.${name}`, message: `${JSON.stringify(value)} is not an integer` });
    }
    if (bodyParam) {
      if (body === undefined) {
        if (bodyParam.schema.required === true) out.push({ path: '(body)', message: 'is required' });
      } else {
        out.push(...this.validator.validate({ schema: bodyParam.schema.schema as Schema, file: bodyParam.file }, body, 'request'));
      }
    } else if (body !== undefined) {
      out.push({ path: '(body)', message: `${op.operationId} takes no body` });
    }
    return out;
  }

  validateResponse(op: MatchedOperation, status: number, body: unknown): Violation[] {
    const responses = (op.operation.responses ?? {}) as Record<string, Schema>;
    const response = responses[String(status)];
    if (!response) return [{ path: '(status)', message: `${op.operationId} does not declare status ${status}` }];
    if (!response.schema) return body === undefined ? [] : [{ path: '(body)', message: `${op.operationId} ${status} has no body` }];
    return this.validator.validate({ schema: response.schema as Schema, file: op.file }, body, 'response');
  }
}
