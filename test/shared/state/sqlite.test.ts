import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../../../shared/state/sqlite';

function store(): SqliteStateStore {
  return new SqliteStateStore(new Database(':memory:'));
}

test('insertIfAbsent creates once and returns the stored entity after', async () => {
  const table = store().table<{ v: number }>('ledger');
  const first = await table.insertIfAbsent('p', 'r', { v: 1 });
  assert.equal(first.created, true);
  assert.deepEqual(first.entity.data, { v: 1 });
  const second = await table.insertIfAbsent('p', 'r', { v: 2 });
  assert.equal(second.created, false);
  assert.deepEqual(second.entity, first.entity);
});

test('replaceIfMatch is optimistic: a stale etag loses', async () => {
  const table = store().table<{ v: number }>('t');
  const { entity } = await table.insertIfAbsent('p', 'r', { v: 1 });
  assert.equal(await table.replaceIfMatch('p', 'r', { v: 2 }, entity.etag), true);
  assert.equal(await table.replaceIfMatch('p', 'r', { v: 3 }, entity.etag), false);
  const now = await table.get('p', 'r');
  assert.deepEqual(now?.data, { v: 2 });
  assert.notEqual(now?.etag, entity.etag);
  assert.equal(await table.replaceIfMatch('p', 'missing', { v: 1 }, entity.etag), false);
});

test('upsert, delete and get', async () => {
  const table = store().table<string>('t');
  const written = await table.upsert('p', 'r', 'a');
  assert.equal((await table.get('p', 'r'))?.etag, written.etag);
  const rewritten = await table.upsert('p', 'r', 'b');
  assert.notEqual(rewritten.etag, written.etag);
  assert.equal((await table.get('p', 'r'))?.data, 'b');
  await table.delete('p', 'r');
  assert.equal(await table.get('p', 'r'), undefined);
});

test('query by row key prefix, ordered both ways, with a limit; tables and partitions are separate', async () => {
  const s = store();
  const table = s.table<number>('runs');
  for (const [i, key] of ['b-2', 'a-1', 'b-1', 'b-3', 'c'].entries()) await table.upsert('p', key, i);
  await table.upsert('q', 'b-9', 9);
  await s.table<number>('other').upsert('p', 'b-8', 8);
  assert.deepEqual((await table.query('p', { rowKeyPrefix: 'b-' })).map((e) => e.rowKey), ['b-1', 'b-2', 'b-3']);
  assert.deepEqual((await table.query('p', { rowKeyPrefix: 'b-', descending: true, limit: 2 })).map((e) => e.rowKey), ['b-3', 'b-2']);
  assert.deepEqual((await table.query('p')).map((e) => e.rowKey), ['a-1', 'b-1', 'b-2', 'b-3', 'c']);
  assert.deepEqual((await table.scan()).map((e) => `${e.partitionKey}/${e.rowKey}`), ['p/a-1', 'p/b-1', 'p/b-2', 'p/b-3', 'p/c', 'q/b-9']);
  assert.equal((await table.scan({ limit: 2 })).length, 2);
});

test('state survives reopening the same database file', async () => {
  const os = await import('node:os');
  const path = await import('node:path');
  const fs = await import('node:fs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'state-'));
  try {
    const file = path.join(dir, 'host.db');
    const db1 = new Database(file);
    await new SqliteStateStore(db1).table('t').upsert('p', 'r', { kept: true });
    db1.close();
    const db2 = new Database(file);
    assert.deepEqual((await new SqliteStateStore(db2).table('t').get('p', 'r'))?.data, { kept: true });
    db2.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writes join an enclosing better-sqlite3 transaction and roll back with it', async () => {
  const db = new Database(':memory:');
  const table = new SqliteStateStore(db).table<number>('t');
  const failing = db.transaction(() => {
    void table.upsert('p', 'r', 1);
    throw new Error('episode failed');
  });
  assert.throws(() => failing(), /episode failed/);
  assert.equal(await table.get('p', 'r'), undefined);
  db.transaction(() => { void table.insertIfAbsent('p', 'r', 2); })();
  assert.equal((await table.get('p', 'r'))?.data, 2);
});
