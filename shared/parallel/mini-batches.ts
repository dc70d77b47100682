/**
 * Cutting the input of a parallel step into mini-batches, in input order. Pure.
 * Files (uri_folder, uri_file) by count (`mini_batch_size: 10`) or by total size (`1mb`);
 * rows of delimited tabular data the same way, a row's size being its bytes with the newline.
 */
import type { MiniBatchSize } from '../spec/plan';

/** Groups items in order: `count` items a batch, or as many as fit in `bytes` (at least one). */
export function cutIntoMiniBatches<T>(items: readonly T[], size: MiniBatchSize, sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size.kind === 'bytes' ? sizeOf(item) : 0;
    const full = size.kind === 'count' ? current.length >= size.files : current.length > 0 && bytes + itemBytes > size.bytes;
    if (full) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += itemBytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Data lines of a delimited text (header removed when it has one); blank lines dropped. */
export function delimitedRows(text: string, hasHeader: boolean): { header?: string; rows: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = hasHeader ? lines.shift() : undefined;
  return { ...(header !== undefined ? { header } : {}), rows: lines.filter((l) => l.trim() !== '') };
}

/** Bytes of a row as stored (UTF-8, with its newline). */
export function rowBytes(row: string): number {
  return Buffer.byteLength(row, 'utf8') + 1;
}

/** Splits mini-batch indexes into chunks of `perChunk`: [first, count] pairs. */
export function chunkRanges(total: number, perChunk: number): { first: number; count: number }[] {
  const ranges: { first: number; count: number }[] = [];
  for (let first = 0; first < total; first += perChunk) ranges.push({ first, count: Math.min(perChunk, total - first) });
  return ranges;
}
