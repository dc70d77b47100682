import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { matchEntryPoints, resolveEntryPoints } from '../../../devhost/functions/entry-points';

describe('entry points from package.json main', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-entry-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'dist', 'functions', 'sub'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  for (const f of ['dist/functions/b.js', 'dist/functions/a.js', 'dist/functions/a.js.map', 'dist/functions/sub/c.js', 'node_modules/x/y.js']) {
    writeFileSync(path.join(dir, f), '');
  }

  it('matches a glob relative to the app folder, sorted', () => {
    assert.deepEqual(matchEntryPoints(dir, 'dist/functions/*.js'),
      [path.join(dir, 'dist/functions/a.js'), path.join(dir, 'dist/functions/b.js')]);
    assert.deepEqual(matchEntryPoints(dir, './dist/**/*.js').length, 3);
    assert.deepEqual(matchEntryPoints(dir, 'dist/functions/a.js'), [path.join(dir, 'dist/functions/a.js')]);
    assert.deepEqual(matchEntryPoints(dir, 'missing/*.js'), []);
  });

  it('fails loudly when main matches nothing or is absent', () => {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ main: 'build/*.js' }));
    assert.throws(() => resolveEntryPoints(dir), (err: Error & { code?: string }) =>
      err.code === 'invalid_setting' && /"build\/\*\.js" matches no file/.test(err.message));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    assert.throws(() => resolveEntryPoints(dir), /package\.json#main/);
  });
});
