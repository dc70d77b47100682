import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSetValues } from '../../../../cli/commands/support/set-values';
import type { ValidationError } from '../../../../shared/errors';

test('NAME=value and inputs.NAME=value set inputs as strings; settings.NAME=value is typed', () => {
  const values = parseSetValues(['a=1', 'inputs.b=hello world', 'c=x=y', 'settings.force_rerun=true', 'settings.default_compute=azureml:cpu', 'empty=']);
  assert.deepEqual(values.inputs, { a: '1', b: 'hello world', c: 'x=y', empty: '' });
  assert.deepEqual(values.settings, { force_rerun: true, default_compute: 'azureml:cpu' });
});

test('a value reaching a command stays data, with shell characters intact', () => {
  assert.equal(parseSetValues(['s=; rm -rf ~']).inputs.s, '; rm -rf ~');
});

test('bad --set forms are usage errors naming the item', () => {
  for (const bad of ['novalue', '=x', 'jobs.train.inputs.x=1', 'inputs.=1', 'inputs.a.b=1', '1abc=2']) {
    assert.throws(() => parseSetValues([bad]), (err: ValidationError) => err.code === 'usage' && err.message.includes(bad), bad);
  }
});
