/**
 * Which job failures are worth another attempt. Azure ML marks user errors (a script that exits
 * non-zero, a bad input) with codes starting `User`; those fail the same way again. Timeouts and
 * cancellations are not retried either. Everything else (system, service, unknown) is transient. Pure.
 */
export function isTransientFailure(error: { code: string; message: string } | undefined): boolean {
  if (!error) return true;
  return !/^(user|validation|invalid|notfound|not_found|timeout|canceled|cancelled)/i.test(error.code);
}
