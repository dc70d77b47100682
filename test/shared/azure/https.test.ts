/**
 * The production path, unchanged: HTTPS with the SDK's own bearer-token policy (no insecure
 * connection, no policy swapped), against the fake served with a certificate made at test time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeAml } from '../../_helpers/fake-aml/server';
import { hasOpenssl, makeLoopbackCert } from '../../_helpers/fake-aml/tls';

test('over HTTPS the drivers send bearer tokens through the standard policy', { skip: hasOpenssl() ? false : 'openssl is not installed' }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amld-tls-'));
  const { key, cert, certFile } = makeLoopbackCert(dir);
  const fake = await FakeAml.start({ key, cert });
  try {
    assert.match(fake.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    const probe = path.join(__dirname, '..', '..', '_helpers', 'fake-aml', 'https-probe.js');
    const { stdout } = await promisify(execFile)(process.execPath, [probe], {
      env: { PATH: process.env.PATH, ...fake.env(), NODE_EXTRA_CA_CERTS: certFile },
    });
    const result = JSON.parse(stdout) as { created: boolean; version: { name: string; version: string } };
    assert.equal(result.created, true);
    assert.equal(result.version.version, '1');
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`), [
      'GET DataVersions_Get 404', 'PUT DataVersions_CreateOrUpdate 201',
    ]);
    assert.deepEqual(fake.violations(), []);
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
