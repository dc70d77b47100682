import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, fingerprintOf, missReason, type FingerprintParts } from '../../../shared/reuse/fingerprint';

const base: FingerprintParts = {
  component: '{"name":"train"}',
  command: 'python train.py --lr ${{inputs.lr}}',
  environment: '{"kind":"registered","name":"env","version":"3"}',
  code: 'hash-1',
  codeFiles: { 'train.py': 'a', 'util/io.py': 'b' },
  literals: { lr: '0.1' },
  data: { data: 'asset:iris:2' },
};

test('canonical JSON sorts keys at every level and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } }), '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}');
});

test('the fingerprint is stable for equal parts and ignores the file list (covered by the code hash)', () => {
  assert.equal(fingerprintOf(base), fingerprintOf({ ...base, literals: { lr: '0.1' }, codeFiles: { other: 'x' } }));
  assert.match(fingerprintOf(base), /^[0-9a-f]{64}$/);
});

test('every decisive part changes the fingerprint', () => {
  const changes: Partial<FingerprintParts>[] = [
    { component: '{"name":"train2"}' }, { command: 'python train.py' }, { environment: '{}' }, { code: 'hash-2' },
    { literals: { lr: '0.2' } }, { data: { data: 'asset:iris:3' } },
  ];
  for (const change of changes) assert.notEqual(fingerprintOf({ ...base, ...change }), fingerprintOf(base), JSON.stringify(change));
});

test('miss reasons name what changed since the last completed fingerprint', () => {
  assert.equal(missReason(undefined, base), 'no entry');
  assert.equal(missReason(base, { ...base, code: 'hash-2', codeFiles: { 'train.py': 'a', 'util/io.py': 'c' } }), 'code changed: file util/io.py');
  assert.equal(missReason(base, { ...base, code: 'hash-2', codeFiles: { 'train.py': 'a', 'util/io.py': 'b', 'new.py': 'n' } }), 'code changed: file new.py');
  assert.equal(missReason(base, { ...base, code: 'hash-2', codeFiles: undefined }), 'code changed');
  assert.equal(missReason(base, { ...base, data: { data: 'asset:iris:3' } }), 'input data changed');
  assert.equal(missReason(base, { ...base, literals: { lr: '0.5' } }), 'input lr changed');
  assert.equal(missReason(base, { ...base, command: 'x' }), 'command changed');
  assert.equal(missReason(base, { ...base, environment: 'y' }), 'environment changed');
  assert.equal(missReason(base, { ...base, component: 'z' }), 'component changed');
});
