import { AmlSchedError } from '../shared/errors';

/** Exit codes: 1 for a failed operation or invalid input, 2 for usage. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Prints one line for expected errors, the stack for unexpected ones; returns the exit code. */
export function reportCliError(err: unknown): number {
  if (err instanceof AmlSchedError) {
    process.stderr.write(`amlsched: ${err.message} (${err.code})\n`);
    return err.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE;
  }
  process.stderr.write(`amlsched: unexpected error\n${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return EXIT_FAILURE;
}
