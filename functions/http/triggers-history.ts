/** `GET /api/triggers/history[?schedule=NAME][&top=N][&continuation=T]`: the trigger ledger, newest first. */
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { parseWith, queryObject } from '../../shared/api/body';
import type { ListPage } from '../../shared/api/contracts';
import { apiHandler, json } from '../../shared/api/respond';
import { getServices } from '../../shared/config/services';
import type { LedgerEntry } from '../../shared/triggers/ledger';
import { LedgerStore } from '../../shared/triggers/ledger-store';

const query = z.object({
  schedule: z.string().min(1).optional(),
  top: z.coerce.number().int().min(1).max(1000).optional(),
  continuation: z.string().regex(/^\d+$/, 'expected a continuation token from a previous page').optional(),
});

async function history(request: HttpRequest) {
  const { schedule, top, continuation } = parseWith(query, queryObject(request.query), 'query');
  const page = await new LedgerStore(getServices().state).history({
    ...(schedule ? { schedule } : {}),
    ...(top ? { top } : {}),
    ...(continuation ? { continuationToken: continuation } : {}),
  });
  const body: ListPage<LedgerEntry> = { value: page.entries, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  return json(200, body);
}

app.http('triggersHistory', { authLevel: 'function', methods: ['GET'], route: 'triggers/history', handler: apiHandler(history) });
