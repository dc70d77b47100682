/**
 * Response shapes of the HTTP API that the CLI and scripts read (the run object itself is
 * shared/run's RunObject).
 */
import type { RunObject } from '../run/types';

/** Every route that starts a run answers this: 202 for a new run, 200 for a repeated Idempotency-Key. */
export interface RunStarted {
  runId: string;
  run: RunObject;
  links: { status: string; cancel: string; rerun: string };
}

/** Lists: `value` (as Azure list APIs), and a token for the next page when there is one. */
export interface ListPage<T> {
  value: T[];
  continuationToken?: string;
}
