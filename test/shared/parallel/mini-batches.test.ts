import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkRanges, cutIntoMiniBatches, delimitedRows, rowBytes } from '../../../shared/parallel/mini-batches';

test('files are cut by count in input order, the last mini-batch holding the rest', () => {
  const files = Array.from({ length: 23 }, (_, i) => `f${i}`);
  const batches = cutIntoMiniBatches(files, { kind: 'count', files: 10 }, () => 0);
  assert.deepEqual(batches.map((b) => b.length), [10, 10, 3]);
  assert.deepEqual(batches.flat(), files);
});

test('by size, a mini-batch takes items while they fit, and an item larger than the size goes alone', () => {
  const sizes = [400, 400, 400, 2000, 100, 100];
  const batches = cutIntoMiniBatches(sizes, { kind: 'bytes', bytes: 1024 }, (s) => s);
  assert.deepEqual(batches, [[400, 400], [400], [2000], [100, 100]]);
});

test('delimited text: header split off, CRLF and blank lines handled, a BOM dropped', () => {
  assert.deepEqual(delimitedRows('\uFEFFid,x\r\n1,2\r\n\r\n3,4\n', true), { header: 'id,x', rows: ['1,2', '3,4'] });
  assert.deepEqual(delimitedRows('1,2\n3,4', false), { rows: ['1,2', '3,4'] });
  assert.equal(rowBytes('é,1'), 5);
});

test('chunk ranges cover every mini-batch once', () => {
  assert.deepEqual(chunkRanges(45, 20), [{ first: 0, count: 20 }, { first: 20, count: 20 }, { first: 40, count: 5 }]);
  assert.deepEqual(chunkRanges(0, 20), []);
});
