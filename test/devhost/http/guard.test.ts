import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refuseReason } from '../../../devhost/http/guard';

const opts = { port: 7071 };
const check = (headers: Record<string, string>) => refuseReason({ headers }, opts);

test('loopback names with the right port pass', () => {
  for (const host of ['127.0.0.1:7071', 'localhost:7071', 'LOCALHOST:7071', '[::1]:7071']) assert.equal(check({ host }), undefined, host);
  assert.equal(check({ host: 'localhost:7071', origin: 'http://127.0.0.1:7071' }), undefined);
  assert.equal(check({ host: 'localhost:7071', 'sec-fetch-site': 'same-origin' }), undefined);
});

test('foreign or missing Host (DNS rebinding) is refused', () => {
  assert.match(check({ host: 'evil.example:7071' }) ?? '', /Host header/);
  assert.match(check({ host: '127.0.0.1:8080' }) ?? '', /Host header/);
  assert.match(check({ host: '127.0.0.1' }) ?? '', /Host header/);
  assert.match(check({}) ?? '', /Host header/);
  assert.match(check({ host: '127.0.0.1.nip.io:7071' }) ?? '', /Host header/);
});

test('cross-site browser requests are refused', () => {
  assert.match(check({ host: 'localhost:7071', origin: 'http://evil.example' }) ?? '', /cross-origin/);
  assert.match(check({ host: 'localhost:7071', origin: 'null' }) ?? '', /cross-origin/);
  assert.match(check({ host: 'localhost:7071', 'sec-fetch-site': 'cross-site' }) ?? '', /cross-site/);
});

test('a non-loopback bind address is accepted when configured', () => {
  assert.equal(refuseReason({ headers: { host: '10.0.0.5:7071' } }, { port: 7071, extraHosts: ['10.0.0.5'] }), undefined);
});
