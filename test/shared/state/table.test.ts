import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TableClient } from '@azure/data-tables';
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../../../shared/state/sqlite';
import { TableStateStore } from '../../../shared/state/table';
import { tableClientFactory } from '../../../shared/state/table-connection';
import { azureTableName, decodeKey, encodeKey } from '../../../shared/state/table-keys';
import { type AzuriteTableInstance, startAzuriteTable } from '../../_helpers/azurite-table';
import { stateStoreContract } from '../../_helpers/state-contract';

let azurite: AzuriteTableInstance;
let stores = 0;

before(async () => {
  azurite = await startAzuriteTable();
});
after(() => azurite?.stop());

/** Fresh Azure tables per store: the sanitized names get a per-store suffix. */
function tableStore(): TableStateStore {
  const suffix = `s${(stores += 1)}`;
  const factory = tableClientFactory({ AzureWebJobsStorage: azurite.connectionString });
  return new TableStateStore((name) => factory(`${name}${suffix}`));
}

stateStoreContract('sqlite', () => new SqliteStateStore(new Database(':memory:')));
stateStoreContract('azure table', tableStore);

test('azure table: tables are created in the account under Azure-legal names, keys escaped', async () => {
  const store = TableStateStore.fromSettings({ AzureWebJobsStorage: azurite.connectionString });
  await store.table<number>('trigger_ledger').upsert('a/b', 'c#d', 1);
  const client = TableClient.fromConnectionString(azurite.connectionString, azureTableName('trigger_ledger'), { allowInsecureConnection: true });
  const raw = [];
  for await (const e of client.listEntities()) raw.push(e);
  assert.deepEqual(raw.map((e) => [e.partitionKey, e.rowKey, e.d0]), [['a%2Fb', 'c%23d', '1']]);
  assert.match(azureTableName('trigger_ledger'), /^amlschedtriggerledger[0-9a-f]{8}$/);
  assert.equal(azureTableName('runs'), 'amlschedruns');
  assert.match(azureTableName('x'.repeat(100)), /^[a-z][a-z0-9]{2,62}$/);
  assert.equal(decodeKey(encodeKey('50%/?\\#\u0001', 'rowKey')), '50%/?\\#\u0001');
});

test('azure table: a value too large for one entity is refused with a clear error, nothing written', async () => {
  const table = tableStore().table<string>('t');
  await assert.rejects(table.upsert('p', 'huge', 'y'.repeat(600_000)), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'state_value_too_large');
    assert.match(err.message, /p\/huge/);
    return true;
  });
  assert.equal(await table.get('p', 'huge'), undefined);
  await assert.rejects(table.get('p', 'k'.repeat(600)), /longer than Azure Table storage allows/);
});

test('azure table: settings name the bad setting; identity-based forms build clients for the right URL', () => {
  const fails = (settings: Record<string, string>, setting: RegExp) => assert.throws(() => TableStateStore.fromSettings(settings), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'invalid_setting');
    assert.match(err.message, setting);
    return true;
  });
  fails({}, /^AzureWebJobsStorage: is not set/);
  fails({ AzureWebJobsStorage: 'not a connection string' }, /^AzureWebJobsStorage: is not a usable table storage connection string/);
  fails({ AzureWebJobsStorage__tableServiceUri: 'nope' }, /^AzureWebJobsStorage__tableServiceUri: 'nope' is not a valid/);
  fails({ AzureWebJobsStorage__tableServiceUri: 'http://acct.table.core.windows.net' }, /^AzureWebJobsStorage__tableServiceUri: .* must be an https/);
  fails({ AzureWebJobsStorage__accountName: 'bad name' }, /^AzureWebJobsStorage__accountName: /);
  const byAccount = tableClientFactory({ AzureWebJobsStorage__accountName: 'acct', AzureWebJobsStorage__clientId: '11111111-2222-3333-4444-555555555555' })('amlschedruns');
  assert.equal(byAccount.url, 'https://acct.table.core.windows.net');
  assert.equal(byAccount.tableName, 'amlschedruns');
  const byUri = tableClientFactory({ AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.windows.net/' })('amlschedruns');
  assert.equal(byUri.url, 'https://acct.table.core.windows.net');
  assert.equal(tableClientFactory({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })('t').url, 'http://127.0.0.1:10002/devstoreaccount1');
});
