import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadAppSettings, resolveSettingReferences } from '../../devhost/settings';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function appDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-settings-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const hostJson = { version: '2.0', extensions: { durableTask: { hubName: '%HUB%' } } };

test('Values become environment variables; the environment wins; %SETTING% resolves the hub', () => {
  const dir = appDir({ 'host.json': hostJson, 'local.settings.json': { IsEncrypted: false, Values: { HUB: 'filehub', A: 'from-file', B: 'from-file', N: 5 } } });
  const env: Record<string, string | undefined> = { B: 'from-env' };
  const s = loadAppSettings(dir, env);
  assert.equal(env.A, 'from-file');
  assert.equal(env.B, 'from-env');
  assert.equal(env.N, '5');
  assert.equal(s.taskHub, 'filehub');
  assert.equal(s.hostJson.extensions?.durableTask?.hubName, 'filehub');
  assert.equal(s.routePrefix, 'api');
  assert.equal(path.basename(s.settingsFile ?? ''), 'local.settings.json');
});

test('falls back to local.settings.sample.json and reads the route prefix', () => {
  const dir = appDir({
    'host.json': { version: '2.0', extensions: { http: { routePrefix: '/v1/' }, durableTask: { hubName: '%HUB%' } } },
    'local.settings.sample.json': { Values: { HUB: 'samplehub' } },
  });
  const s = loadAppSettings(dir, {});
  assert.equal(path.basename(s.settingsFile ?? ''), 'local.settings.sample.json');
  assert.equal(s.taskHub, 'samplehub');
  assert.equal(s.routePrefix, 'v1');
});

test('a missing referenced setting stops start-up with one line naming it', () => {
  const dir = appDir({ 'host.json': hostJson });
  assert.throws(() => loadAppSettings(dir, {}), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'invalid_setting');
    assert.equal(err.message, 'HUB: is not set but host.json extensions.durableTask.hubName refers to it as %HUB%');
    return true;
  });
});

test('wrong files and values give clear errors', () => {
  assert.throws(() => loadAppSettings(appDir({}), {}), /host\.json: not found/);
  assert.throws(() => loadAppSettings(appDir({ 'host.json': '{ nope' }), {}), /host\.json: is not valid JSON/);
  assert.throws(() => loadAppSettings(appDir({ 'host.json': { version: '1.0' } }), {}), /version: must be "2.0"/);
  assert.throws(() => loadAppSettings(appDir({ 'host.json': hostJson, 'local.settings.json': { IsEncrypted: true } }), { HUB: 'x1y' }), /is encrypted/);
  assert.throws(() => loadAppSettings(appDir({ 'host.json': hostJson, 'local.settings.json': { Values: { X: { a: 1 } } } }), { HUB: 'hub' }), /X: in local\.settings\.json Values must be a string/);
  assert.throws(() => loadAppSettings(appDir({ 'host.json': hostJson }), { HUB: 'no-dashes!' }), /hubName: 'no-dashes!' must be 3-45 letters or digits/);
});

test('resolveSettingReferences replaces every reference', () => {
  assert.equal(resolveSettingReferences('%A%-%B%', 'here', { A: '1', B: '2' }), '1-2');
  assert.equal(resolveSettingReferences('0 */5 * * * *', 'here', {}), '0 */5 * * * *');
  assert.throws(() => resolveSettingReferences('%C%', "function 'f' schedule", {}), /^.*C: is not set but function 'f' schedule refers to it as %C%/);
});
