/**
 * A small JSON Schema checker (draft-04 to draft-07) for the keywords the schemas we validate
 * against use (type, enum, required, properties, additionalProperties, items, minItems, minLength,
 * minimum, maximum, pattern, oneOf, not, $ref to #/definitions): the product's published schedule
 * schema and the Functions host.json schema. Unknown keywords are ignored.
 */

type Schema = { [k: string]: unknown };

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function checkSchema(root: Schema, value: unknown, schema: Schema = root, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '');
    return checkSchema(root, value, (root.definitions as Record<string, Schema>)[name]!, at);
  }
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t))) return [`${at}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof schema.minLength === 'number' && typeof value === 'string' && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
  if (typeof schema.pattern === 'string' && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${at}: '${value}' does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (schema.items) value.forEach((item, i) => errors.push(...checkSchema(root, item, schema.items as Schema, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${at}: missing ${key}`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...checkSchema(root, v, props[key], `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unknown property ${key}`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...checkSchema(root, v, schema.additionalProperties as Schema, `${at}.${key}`));
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => checkSchema(root, value, s, at).length === 0).length;
    if (passing !== 1) errors.push(`${at}: matches ${passing} of oneOf`);
  }
  if (schema.not && checkSchema(root, value, schema.not as Schema, at).length === 0) errors.push(`${at}: matches a forbidden schema`);
  return errors;
}
