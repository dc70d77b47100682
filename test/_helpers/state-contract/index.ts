/**
 * The behaviour every StateStore driver owes (shared/state/types.ts), as node:test cases.
 * `makeStore` must return a store whose tables are empty (a fresh database, or fresh table names).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateStore } from '../../../shared/state/types';

export function stateStoreContract(driver: string, makeStore: () => StateStore | Promise<StateStore>): void {
  test(`${driver}: insertIfAbsent creates once and returns the stored entity after`, async () => {
    const table = (await makeStore()).table<{ v: number }>('ledger');
    const first = await table.insertIfAbsent('p', 'r', { v: 1 });
    assert.equal(first.created, true);
    assert.deepEqual(first.entity.data, { v: 1 });
    const second = await table.insertIfAbsent('p', 'r', { v: 2 });
    assert.equal(second.created, false);
    assert.deepEqual(second.entity.data, { v: 1 });
    assert.equal(second.entity.etag, first.entity.etag);
  });

  test(`${driver}: concurrent insertIfAbsent creates exactly once`, async () => {
    const table = (await makeStore()).table<{ who: number }>('claims');
    const results = await Promise.all([0, 1, 2, 3, 4].map((who) => table.insertIfAbsent('p', 'claim', { who })));
    assert.equal(results.filter((r) => r.created).length, 1);
    const winner = results.find((r) => r.created)?.entity.data;
    for (const r of results) assert.deepEqual(r.entity.data, winner);
  });

  test(`${driver}: replaceIfMatch is optimistic: a stale etag loses, a missing row is false`, async () => {
    const table = (await makeStore()).table<{ v: number }>('t');
    const { entity } = await table.insertIfAbsent('p', 'r', { v: 1 });
    assert.equal(await table.replaceIfMatch('p', 'r', { v: 2 }, entity.etag), true);
    assert.equal(await table.replaceIfMatch('p', 'r', { v: 3 }, entity.etag), false);
    const now = await table.get('p', 'r');
    assert.deepEqual(now?.data, { v: 2 });
    assert.notEqual(now?.etag, entity.etag);
    assert.equal(await table.replaceIfMatch('p', 'missing', { v: 1 }, entity.etag), false);
  });

  test(`${driver}: two writers with the same etag: exactly one replace wins`, async () => {
    const table = (await makeStore()).table<{ v: string }>('t');
    const { entity } = await table.insertIfAbsent('p', 'r', { v: 'start' });
    const wins = await Promise.all(['a', 'b'].map((v) => table.replaceIfMatch('p', 'r', { v }, entity.etag)));
    assert.deepEqual(wins.filter(Boolean).length, 1);
    assert.equal((await table.get('p', 'r'))?.data.v, wins[0] ? 'a' : 'b');
  });

  test(`${driver}: upsert, delete and get; deleting a missing row is fine`, async () => {
    const table = (await makeStore()).table<string>('t');
    const written = await table.upsert('p', 'r', 'a');
    assert.equal((await table.get('p', 'r'))?.etag, written.etag);
    const rewritten = await table.upsert('p', 'r', 'b');
    assert.notEqual(rewritten.etag, written.etag);
    assert.equal((await table.get('p', 'r'))?.data, 'b');
    assert.ok(!Number.isNaN(Date.parse((await table.get('p', 'r'))?.updatedTime ?? '')));
    await table.delete('p', 'r');
    assert.equal(await table.get('p', 'r'), undefined);
    await table.delete('p', 'r');
  });

  test(`${driver}: query by row key prefix, ordered both ways, with a limit; tables and partitions are separate`, async () => {
    const s = await makeStore();
    const table = s.table<number>('runs');
    for (const [i, key] of ['b-2', 'a-1', 'b-1', 'b-3', 'c', 'b'].entries()) await table.upsert('p', key, i);
    await table.upsert('q', 'b-9', 9);
    await s.table<number>('other').upsert('p', 'b-8', 8);
    assert.deepEqual((await table.query('p', { rowKeyPrefix: 'b-' })).map((e) => e.rowKey), ['b-1', 'b-2', 'b-3']);
    assert.deepEqual((await table.query('p', { rowKeyPrefix: 'b-', descending: true, limit: 2 })).map((e) => e.rowKey), ['b-3', 'b-2']);
    assert.deepEqual((await table.query('p')).map((e) => e.rowKey), ['a-1', 'b', 'b-1', 'b-2', 'b-3', 'c']);
    assert.deepEqual((await table.query('p', { limit: 2 })).map((e) => e.data), [1, 5]);
    assert.deepEqual(await table.query('none'), []);
    assert.deepEqual((await table.scan()).map((e) => `${e.partitionKey}/${e.rowKey}`), ['p/a-1', 'p/b', 'p/b-1', 'p/b-2', 'p/b-3', 'p/c', 'q/b-9']);
    assert.equal((await table.scan({ limit: 2 })).length, 2);
  });

  test(`${driver}: keys and table names are the product's own: slashes, hashes, question marks, percent, unicode`, async () => {
    const s = await makeStore();
    const table = s.table<{ url: string }>('job_events_unmatched');
    const keys = ['https://acct/c/a.csv?x#1', 'https://acct/c/a%2Fb', 'https://acct/c/b\\c', 'ünïcode/✓'];
    for (const key of keys) await table.upsert('2026-01-01/x', key, { url: key });
    assert.deepEqual((await table.get('2026-01-01/x', keys[0]!))?.data, { url: keys[0] });
    assert.deepEqual((await table.query('2026-01-01/x', { rowKeyPrefix: 'https://acct/c/a' })).map((e) => e.rowKey), [keys[1], keys[0]]);
    assert.deepEqual((await table.query('2026-01-01/x')).map((e) => e.rowKey), [...keys].sort());
    assert.equal((await s.table('jobeventsunmatched').query('2026-01-01/x')).length, 0, 'job_events_unmatched and jobeventsunmatched are different tables');
  });

  test(`${driver}: data round-trips as JSON, large values included`, async () => {
    const table = (await makeStore()).table<unknown>('t');
    const big = { text: 'x'.repeat(70_000) + '😀'.repeat(20_000), list: Array.from({ length: 2_000 }, (_, i) => ({ i, s: `v${i}` })) };
    await table.upsert('p', 'big', big);
    assert.deepEqual((await table.get('p', 'big'))?.data, big);
    const values = [null, 0, 'plain', [1, 'two'], { nested: { deep: [true, false] } }];
    for (const [i, v] of values.entries()) await table.upsert('p', `v${i}`, v);
    assert.deepEqual((await table.query('p', { rowKeyPrefix: 'v' })).map((e) => e.data), values);
  });
}
