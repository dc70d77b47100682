/**
 * A small Swagger 2.0 validator for request and response bodies, enough for the Azure ML spec:
 * `$ref` across files, type/format/enum/required/additionalProperties, readOnly (refused in
 * requests), x-nullable, arrays, dictionaries, and polymorphism through `discriminator` with
 * `allOf` subtypes named by `x-ms-discriminator-value` (or their definition name).
 * Objects are checked against the union of their `allOf` chain, as AutoRest models them: each part
 * of the chain may say `additionalProperties: false`, which only means "no properties beyond the
 * whole model's".
 */
import nodePath from 'node:path';
import { type Located, type Schema, SpecFiles } from './spec-files';

export interface Violation {
  /** Dotted path inside the body, e.g. `properties.inputs.raw.mode`. */
  path: string;
  message: string;
}

export type Direction = 'request' | 'response';

interface Flat {
  properties: Map<string, Located>;
  required: Set<string>;
  discriminator?: { property: string; baseRef: string };
  /** Refs of the schema itself and every ancestor. */
  chain: Set<string>;
}

const DURATION = /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SwaggerValidator {
  private readonly subtypeIndex = new Map<string, Map<string, Located>>();

  constructor(readonly files: SpecFiles = new SpecFiles()) {}

  /** Validates `value` against a definition, e.g. (`2025-12-01/mfe.json`, `JobBaseResource`). */
  validateDefinition(file: string, name: string, value: unknown, direction: Direction): Violation[] {
    return this.validate(this.files.resolve(`#/definitions/${name}`, nodePath.join(this.files.root, file)), value, direction);
  }

  validate(located: Located, value: unknown, direction: Direction, path = ''): Violation[] {
    const out: Violation[] = [];
    this.check(located, value, direction, path, out);
    return out;
  }

  private check(raw: Located, value: unknown, direction: Direction, path: string, out: Violation[]): void {
    const nullableHere = raw.schema['x-nullable'] === true;
    const located = this.files.deref(raw);
    const schema = located.schema;
    const at = path || '(body)';
    if (value === null) {
      if (!nullableHere && schema['x-nullable'] !== true) out.push({ path: at, message: 'null is not allowed' });
      return;
    }
    const type = schemaType(schema);
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
      out.push({ path: at, message: `${JSON.stringify(value)} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` });
      return;
    }
    switch (type) {
      case 'object': return this.checkObject(located, value, direction, path, out);
      case 'array': {
        if (!Array.isArray(value)) return void out.push({ path: at, message: `expected an array, got ${kindOf(value)}` });
        const items = schema.items as Schema | undefined;
        if (items) value.forEach((item, i) => this.check({ schema: items, file: located.file }, item, direction, `${path}[${i}]`, out));
        return;
      }
      case 'string': {
        if (typeof value !== 'string') return void out.push({ path: at, message: `expected a string, got ${kindOf(value)}` });
        const format = schema.format;
        if (format === 'date-time' && Number.isNaN(Date.parse(value))) out.push({ path: at, message: `${JSON.stringify(value)} is not a date-time` });
        if (format === 'duration' && !DURATION.test(value)) out.push({ path: at, message: `${JSON.stringify(value)} is not an ISO 8601 duration` });
        if (format === 'uuid' && !UUID.test(value)) out.push({ path: at, message: `${JSON.stringify(value)} is not a uuid` });
        if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) out.push({ path: at, message: `${JSON.stringify(value)} does not match ${schema.pattern}` });
        return;
      }
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) return void out.push({ path: at, message: `expected an integer, got ${kindOf(value)}` });
        if (schema.format === 'int32' && (value > 2147483647 || value < -2147483648)) out.push({ path: at, message: `${value} is outside int32` });
        return;
      case 'number':
        if (typeof value !== 'number') out.push({ path: at, message: `expected a number, got ${kindOf(value)}` });
        return;
      case 'boolean':
        if (typeof value !== 'boolean') out.push({ path: at, message: `expected a boolean, got ${kindOf(value)}` });
        return;
      default:
        return; // `{}` or `type: file`: anything goes
    }
  }

  private checkObject(located: Located, value: unknown, direction: Direction, path: string, out: Violation[]): void {
    const at = path || '(body)';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({ path: at, message: `expected an object, got ${kindOf(value)}` });
      return;
    }
    const record = value as Record<string, unknown>;
    let target = located;
    let flat = this.flatten(located);
    if (flat.discriminator) {
      const { property, baseRef } = flat.discriminator;
      const tag = record[property];
      if (typeof tag === 'string') {
        const sub = this.subtypes(baseRef).get(tag);
        if (!sub) {
          out.push({ path: join(path, property), message: `unknown ${property} ${JSON.stringify(tag)} (known: ${[...this.subtypes(baseRef).keys()].join(', ')})` });
          return;
        }
        if (sub.ref !== located.ref) {
          target = sub;
          flat = this.flatten(sub);
        }
      }
    }
    for (const name of flat.required) {
      if (!(name in record)) out.push({ path: join(path, name), message: 'is required' });
    }
    const additional = target.schema.additionalProperties;
    for (const [name, item] of Object.entries(record)) {
      const prop = flat.properties.get(name);
      if (prop) {
        if (direction === 'request' && isReadOnly(prop, this.files)) {
          out.push({ path: join(path, name), message: 'is read-only and must not be sent' });
          continue;
        }
        this.check(prop, item, direction, join(path, name), out);
      } else if (typeof additional === 'object' && additional !== null) {
        this.check({ schema: additional as Schema, file: target.file }, item, direction, join(path, name), out);
      } else if (additional === false) {
        out.push({ path: join(path, name), message: 'is not a property of this model' });
      }
    }
  }

  /** Properties and required names of a schema and its `allOf` ancestors. */
  private flatten(start: Located): Flat {
    const flat: Flat = { properties: new Map(), required: new Set(), chain: new Set() };
    const visit = (raw: Located): void => {
      const located = this.files.deref(raw);
      const key = located.ref ?? `${located.file}#?`;
      if (flat.chain.has(key)) return;
      flat.chain.add(key);
      const schema = located.schema;
      for (const parent of (schema.allOf as Schema[] | undefined) ?? []) visit({ schema: parent, file: located.file });
      for (const [name, prop] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
        flat.properties.set(name, { schema: prop, file: located.file });
      }
      for (const name of (schema.required as string[] | undefined) ?? []) flat.required.add(name);
      if (typeof schema.discriminator === 'string' && located.ref) flat.discriminator = { property: schema.discriminator, baseRef: located.ref };
    };
    visit(start);
    return flat;
  }

  /** Every definition in the base's file whose `allOf` chain includes the base, by discriminator value. */
  private subtypes(baseRef: string): Map<string, Located> {
    const cached = this.subtypeIndex.get(baseRef);
    if (cached) return cached;
    const file = baseRef.slice(0, baseRef.indexOf('#'));
    const definitions = (this.files.doc(file).definitions ?? {}) as Record<string, Schema>;
    const map = new Map<string, Located>();
    for (const [name, schema] of Object.entries(definitions)) {
      const located: Located = { schema, file, ref: `${file}#/definitions/${name}` };
      if (located.ref !== baseRef && !this.flatten(located).chain.has(baseRef)) continue;
      const tag = typeof schema['x-ms-discriminator-value'] === 'string' ? schema['x-ms-discriminator-value'] : name;
      map.set(tag, located);
    }
    this.subtypeIndex.set(baseRef, map);
    return map;
  }
}

function schemaType(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (schema.properties || schema.allOf || schema.additionalProperties !== undefined) return 'object';
  return undefined;
}

function isReadOnly(prop: Located, files: SpecFiles): boolean {
  return prop.schema.readOnly === true || files.deref(prop).schema.readOnly === true;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
