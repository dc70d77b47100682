// The test-mode trap: an app whose entry points register nothing must fail loudly, not start empty.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadApp } from '../../../devhost/functions/app-loader';

describe('loadApp (app that registers nothing)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'amlsched-empty-app-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails with a configuration error naming package.json main', async () => {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ main: 'index.js' }));
    writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
    await assert.rejects(loadApp(dir), (err: Error & { code?: string }) =>
      err.code === 'invalid_setting' && /package\.json#main/.test(err.message) && /registered no functions/.test(err.message));
  });
});
