// An ES module app ("type": "module") loads through import() and still sees the core shim,
// because @azure/functions itself is CommonJS and requires the core module.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadApp } from '../../../devhost/functions/app-loader';

describe('loadApp (ES module app)', () => {
  // Inside the project so that bare imports resolve from its node_modules.
  const base = path.resolve(__dirname, '..', '..', '..', 'tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'esm-app-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers and invokes functions from .mjs entry points matched by a glob', async () => {
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'src/*.js' }));
    writeFileSync(path.join(dir, 'src', 'a.js'), [
      "import { app } from '@azure/functions';",
      "app.http('esmHello', { route: 'esm', handler: async () => ({ body: 'from esm' }) });",
    ].join('\n'));
    const app = await loadApp(dir);
    assert.deepEqual([...app.functions.keys()], ['esmHello']);
    const res = await app.invoke({
      functionName: 'esmHello',
      triggerData: { http: { method: 'GET', url: 'http://127.0.0.1:7071/api/esm', headers: {}, params: {}, query: {} } },
    });
    assert.equal(Buffer.from(res.returnValue?.http?.body?.bytes ?? new Uint8Array()).toString('utf8'), 'from esm');
  });
});
