import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PipelinesStore } from '../../../shared/api/pipelines-store';
import { SqliteStateStore } from '../../../shared/state/sqlite';

test('a version is stored once; latest follows the last publish; old versions stay reachable', async () => {
  const s = new PipelinesStore<{ text: string }>(new SqliteStateStore(new Database(':memory:')));
  const v1 = await s.publish('train', 'aaa', { text: 'one' });
  const again = await s.publish('train', 'aaa', { text: 'one' });
  assert.equal(v1.created, true);
  assert.equal(again.created, false);
  await s.publish('train', 'bbb', { text: 'two' });
  assert.equal((await s.get('train'))?.version, 'bbb');
  assert.equal((await s.get('train', 'latest'))?.bundle.text, 'two');
  assert.equal((await s.get('train', 'aaa'))?.bundle.text, 'one');
  assert.equal(await s.get('train', 'ccc'), undefined);
  assert.equal(await s.get('other'), undefined);
  assert.deepEqual((await s.versions('train')).map((v) => v.version).sort(), ['aaa', 'bbb']);
});
