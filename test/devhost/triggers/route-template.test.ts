import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRoutes, compileRoute } from '../../../devhost/triggers/route-template';

test('literal and parameter segments, case-insensitive literals, decoded values', () => {
  const r = compileRoute('api/hello/{name}');
  assert.deepEqual(r.match('/api/hello/bob'), { name: 'bob' });
  assert.deepEqual(r.match('/API/Hello/a%20b'), { name: 'a b' });
  assert.deepEqual(r.match('/api/hello/bob/'), { name: 'bob' });
  assert.equal(r.match('/api/hello'), undefined);
  assert.equal(r.match('/api/hello/bob/extra'), undefined);
});

test('optional, default, constraints and catch-all', () => {
  assert.deepEqual(compileRoute('api/opt/{x?}').match('/api/opt'), {});
  assert.deepEqual(compileRoute('api/opt/{x?}').match('/api/opt/1'), { x: '1' });
  assert.deepEqual(compileRoute('api/page/{n=1}').match('/api/page'), { n: '1' });
  const int = compileRoute('api/items/{id:int}');
  assert.deepEqual(int.match('/api/items/42'), { id: '42' });
  assert.equal(int.match('/api/items/abc'), undefined);
  assert.deepEqual(compileRoute('api/g/{id:guid}').match('/api/g/3f2504e0-4f89-11d3-9a0c-0305e82c3301'), { id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' });
  assert.equal(compileRoute('api/a/{v:alpha:maxlength(3)}').match('/api/a/abcd'), undefined);
  assert.deepEqual(compileRoute('api/r/{v:range(1,5)}').match('/api/r/5'), { v: '5' });
  const all = compileRoute('api/files/{*rest}');
  assert.deepEqual(all.match('/api/files/a/b%2Fc/d.txt'), { rest: 'a/b/c/d.txt' });
  assert.deepEqual(all.match('/api/files'), {});
  assert.deepEqual(compileRoute('api/f/{name}.{ext}').match('/api/f/report.csv'), { name: 'report', ext: 'csv' });
});

test('bad templates are configuration errors naming the route', () => {
  assert.throws(() => compileRoute('api/{*rest}/more'), /route 'api\/\{\*rest\}\/more'.*last segment/);
  assert.throws(() => compileRoute('api/{id:nope}'), /unknown constraint 'nope'/);
  assert.throws(() => compileRoute('api/{bad-name}'), /invalid parameter name/);
});

test('literal routes win over constrained parameters, which win over plain ones and catch-alls', () => {
  const routes = ['api/items/{*rest}', 'api/items/{name}', 'api/items/{id:int}', 'api/items/latest'].map(compileRoute);
  assert.deepEqual(routes.sort(compareRoutes).map((r) => r.template), ['api/items/latest', 'api/items/{id:int}', 'api/items/{name}', 'api/items/{*rest}']);
});
