import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMlTable } from '../../../shared/parallel/mltable';

test('paths and read_delimited are read; defaults are a comma and a header', () => {
  const t = parseMlTable('type: mltable\npaths:\n  - file: ./a.csv\n  - folder: ./more\n  - pattern: ./part-*.csv\ntransformations:\n  - read_delimited:\n      delimiter: ";"\n      header: no_header\n', 'MLTable');
  assert.deepEqual(t.paths, [{ kind: 'file', value: './a.csv' }, { kind: 'folder', value: './more' }, { kind: 'pattern', value: './part-*.csv' }]);
  assert.deepEqual(t.delimited, { delimiter: ';', header: false, encoding: 'utf8' });
  assert.deepEqual(parseMlTable('paths:\n  - file: a.csv\ntransformations:\n  - read_delimited:\n', 'M').delimited, { delimiter: ',', header: true, encoding: 'utf8' });
});

test('a table without read_delimited is a file dataset', () => {
  assert.equal(parseMlTable('paths:\n  - folder: ./images\n', 'M').delimited, undefined);
});

test('unsupported transformations, missing paths and bad headers are refused by name', () => {
  assert.throws(() => parseMlTable('paths:\n  - file: a\ntransformations:\n  - read_parquet: {}\n', 'in/MLTable'), { code: 'unsupported_mltable', message: /in\/MLTable: transformation 'read_parquet'/ });
  assert.throws(() => parseMlTable('type: mltable\n', 'M'), { code: 'invalid_mltable', message: /paths/ });
  assert.throws(() => parseMlTable('paths:\n  - file: a\ntransformations:\n  - read_delimited:\n      header: sometimes\n', 'M'), { code: 'invalid_mltable', message: /header 'sometimes'/ });
});
