import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ensureHostKeys, hostKeysPath, keyGrants, readHostKeys } from '../../devhost/keys';

const dir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-keys-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('keys are generated once, private to the user, and read back unchanged', () => {
  assert.equal(readHostKeys(dir), undefined);
  const first = ensureHostKeys(dir);
  assert.ok(first.masterKey.length >= 40);
  assert.ok(first.functionKeys.default && first.systemKeys.durabletask_extension && first.systemKeys.eventgrid_extension);
  assert.equal(statSync(hostKeysPath(dir)).mode & 0o777, 0o600);
  assert.deepEqual(ensureHostKeys(dir), first);
  assert.deepEqual(readHostKeys(dir), first);
});

test('authorization levels', () => {
  const keys = ensureHostKeys(dir);
  const fn = keys.functionKeys.default;
  const sys = keys.systemKeys.eventgrid_extension;
  assert.equal(keyGrants(keys, 'anonymous', undefined), true);
  assert.equal(keyGrants(keys, 'function', undefined), false);
  assert.equal(keyGrants(keys, 'function', fn), true);
  assert.equal(keyGrants(keys, 'function', keys.masterKey), true);
  assert.equal(keyGrants(keys, 'function', 'wrong'), false);
  assert.equal(keyGrants(keys, 'admin', fn), false);
  assert.equal(keyGrants(keys, 'admin', keys.masterKey), true);
  assert.equal(keyGrants(keys, 'system', sys, 'eventgrid_extension'), true);
  assert.equal(keyGrants(keys, 'system', fn, 'eventgrid_extension'), false);
});

test('a corrupt key file is a clear error', () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'amlsched-keys-'));
  try {
    writeFileSync(hostKeysPath(other), '{"masterKey": 1}');
    assert.throws(() => readHostKeys(other), /is not a valid key file/);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
