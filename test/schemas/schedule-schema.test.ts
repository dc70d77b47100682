import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { checkSchema } from '../_helpers/json-schema/check';
import { amlExampleSchedules, repoRoot, scheduleFixtures } from '../_helpers/schedule/paths';

type Json = Record<string, unknown>;
const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'schedule.schema.json'), 'utf8')) as Json;
const defs = schema.definitions as Record<string, Json>;

/** Schedule YAML under a folder (recursively): files whose $schema is the schedule schema. */
function schedulesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : schedulesUnder(full);
    return /\.ya?ml$/.test(entry.name) && /^\$schema:.*schedule\.schema\.json/m.test(readFileSync(full, 'utf8')) ? [full] : [];
  });
}

function scheduleFiles(): string[] {
  return [...schedulesUnder(amlExampleSchedules), ...schedulesUnder(scheduleFixtures), ...schedulesUnder(path.join(repoRoot, 'examples'))];
}

const doc = (yaml: string): unknown => parse(yaml);

describe('published schedule JSON Schema', () => {
  it('is draft-07 and its trigger is one of cron, recurrence and blob', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const refs = ((schema.properties as Record<string, Json>).trigger!.oneOf as { $ref: string }[]).map((r) => r.$ref.split('/').pop()!);
    const types = refs.map((name) => ((defs[name]!.properties as Record<string, Json>).type!.enum as string[])[0]);
    assert.deepEqual(types, ['cron', 'recurrence', 'blob']);
    assert.deepEqual((defs.cronTrigger!.properties as Record<string, Json>).catch_up!.enum, ['skip', 'latest', 'all']);
  });

  it('every example schedule validates (azureml-examples, test fixtures, examples/)', () => {
    const files = scheduleFiles();
    assert.ok(files.length >= 8, files.join('\n'));
    for (const file of files) assert.deepEqual(checkSchema(schema, doc(readFileSync(file, 'utf8'))), [], file);
  });

  it('refuses what the loader refuses', () => {
    const base = 'name: s\ncreate_job: ./j.yml\n';
    const bad: [string, string][] = [
      [`${base}trigger:\n  type: blob\n  datastore: d\n  path: a/*\n  batch_window: PT30S\n  marker: _SUCCESS\n`, 'oneOf'],
      [`${base}trigger:\n  type: hourly\n`, 'oneOf'],
      [`${base}trigger:\n  type: cron\n  expression: "* * * * *"\n  catch_up: never\n`, 'oneOf'],
      [`${base}trigger:\n  type: recurrence\n  frequency: day\n  interval: 0\n`, 'oneOf'],
      [`${base}trigger:\n  type: blob\n  datastore: d\n  path: /abs\n`, 'oneOf'],
      ['name: s\ntrigger:\n  type: cron\n  expression: "* * * * *"\n', 'missing create_job'],
      [`${base}trigger:\n  type: cron\n  expression: "* * * * *"\nextra: 1\n`, 'unknown property extra'],
    ];
    for (const [yaml, fragment] of bad) {
      const errors = checkSchema(schema, doc(yaml));
      assert.ok(errors.some((e) => e.includes(fragment)), `${yaml}\n=> ${JSON.stringify(errors)}`);
    }
  });

  it('a blob trigger may have a batch window or a marker, not both', () => {
    const blob = { type: 'blob', datastore: 'd', path: 'a/*' };
    assert.deepEqual(checkSchema(schema, { ...blob, batch_window: 'PT30S' }, defs.blobTrigger), []);
    assert.deepEqual(checkSchema(schema, { ...blob, marker: '_SUCCESS' }, defs.blobTrigger), []);
    assert.deepEqual(checkSchema(schema, { ...blob, batch_window: 'PT30S', marker: '_SUCCESS' }, defs.blobTrigger), ['$: matches a forbidden schema']);
    assert.ok(checkSchema(schema, { ...blob, batch_window: '30s' }, defs.blobTrigger)[0]!.includes('does not match'));
  });
});
