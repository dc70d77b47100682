import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadApp } from '../../../devhost/functions/app-loader';
import type { LoadedApp } from '../../../devhost/functions/types';
import { fixtureExports, makeAppDir, type TempAppDir } from '../../_helpers/durable/app-dir';

describe('loadApp (runtime fixture app)', () => {
  let tmp: TempAppDir;
  let app: LoadedApp;
  const logs: string[] = [];

  before(async () => {
    tmp = makeAppDir('runtime');
    app = await loadApp(tmp.dir, { log: (level, category, message) => logs.push(`${level}/${category}: ${message}`) });
  });
  after(async () => {
    await app.terminate();
    tmp.cleanup();
  });

  it('captures every registration with its trigger', () => {
    assert.deepEqual([...app.functions.keys()].sort(), ['boom', 'echo', 'hello', 'single', 'startIt', 'tick']);
    const hello = app.functions.get('hello');
    assert.equal(hello?.trigger.type, 'httpTrigger');
    assert.equal(hello?.trigger.binding.route, 'hello/{name}');
    assert.deepEqual(hello?.trigger.binding.methods, ['GET']);
    assert.equal(hello?.bindings.$return?.type, 'http');
    assert.equal(app.functions.get('tick')?.trigger.binding.schedule, '0 */5 * * * *');
    assert.equal(app.functions.get('single')?.trigger.type, 'orchestrationTrigger');
    const start = app.functions.get('startIt');
    assert.ok(Object.values(start?.bindings ?? {}).some((b) => b.type === 'durableClient'));
  });

  it('ran appStart hooks', () => {
    const mod = fixtureExports<{ hookLog: string[] }>('runtime');
    assert.equal(mod.hookLog[0], 'appStart');
  });

  it('invokes an HTTP function through the library and returns the RPC response', async () => {
    const hello = app.functions.get('hello');
    assert.ok(hello);
    const res = await app.invoke({
      functionName: 'hello',
      triggerData: { http: { method: 'GET', url: 'http://127.0.0.1:7071/api/hello/ann?x=1', headers: {}, params: { name: 'ann' }, query: { x: '1' } } },
    });
    const http = res.returnValue?.http;
    assert.equal(http?.statusCode, '201');
    assert.equal(http?.headers?.['x-test'], 'yes');
    const body = Buffer.from(http?.body?.bytes ?? new Uint8Array()).toString('utf8');
    assert.deepEqual(JSON.parse(body), { hello: 'ann', q: '1' });
    assert.ok(logs.some((l) => l === 'information/user: hello: saying hello'), logs.join('\n'));
    const mod = fixtureExports<{ hookLog: string[] }>('runtime');
    assert.ok(mod.hookLog.includes('pre:hello'));
    assert.ok(mod.hookLog.includes('post:hello:ok'));
  });

  it('rejects with the function error and still runs postInvocation hooks', async () => {
    await assert.rejects(app.invoke({
      functionName: 'boom',
      triggerData: { http: { method: 'POST', url: 'http://127.0.0.1:7071/api/boom', headers: {}, params: {}, query: {} } },
    }), /kaboom/);
    const mod = fixtureExports<{ hookLog: string[] }>('runtime');
    assert.ok(mod.hookLog.includes('post:boom:error'));
  });

  it('camel-cases timer payloads like the worker', async () => {
    await app.invoke({
      functionName: 'tick',
      triggerData: { json: JSON.stringify({ Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: true }) },
    });
    assert.ok(logs.some((l) => l.endsWith('tick: past due true')), logs.join('\n'));
  });

  it('feeds provided inputs such as the durable client to functions that declare them', async () => {
    app.provideInput('durableClient', () => ({ string: JSON.stringify({
      taskHubName: 'HubX', creationUrls: {}, managementUrls: {}, baseUrl: 'http://127.0.0.1:1/runtime/webhooks/durabletask',
      requiredQueryStringParameters: '', rpcBaseUrl: 'http://127.0.0.1:1/durabletask/',
    }) }));
    const res = await app.invoke({
      functionName: 'startIt',
      triggerData: { http: { method: 'POST', url: 'http://127.0.0.1:7071/api/start', headers: {}, params: {}, query: {} } },
    });
    const body = Buffer.from(res.returnValue?.http?.body?.bytes ?? new Uint8Array()).toString('utf8');
    assert.deepEqual(JSON.parse(body), { hub: 'HubX' });
  });

  it('returns activity results as returnValue', async () => {
    const res = await app.invoke({ functionName: 'echo', triggerData: { string: 'Tokyo' } });
    const value = JSON.parse(res.returnValue?.json ?? 'null') as { got: unknown };
    assert.equal(value.got, 'Tokyo');
  });

  it('refuses a second app in the same process', async () => {
    await assert.rejects(loadApp(tmp.dir), /one app per process/);
  });
});
