/**
 * Retry policy for the runs' own activities (not the jobs): a storage or service hiccup is retried
 * by the Durable runtime. Safe because every run activity is idempotent: job submission is
 * create-or-get by job name, registrations are create-or-get, reuse entries insert-if-absent,
 * ChildDone events are deduplicated by the parent.
 */
import { RetryOptions } from 'durable-functions';

export function activityRetry(): RetryOptions {
  const options = new RetryOptions(2_000, 4);
  options.backoffCoefficient = 2;
  return options;
}
