/**
 * Output for every verb: `--output json` prints one JSON document on stdout for scripts; the
 * default prints text for people. Progress and notes go to stderr so stdout stays parseable.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';

export type OutputFormat = 'text' | 'json';

export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');
}

const CONNECTION_HELP = [
  'Connection: AMLSCHED_URL (default http://127.0.0.1:7071) with the function key from AMLSCHED_KEY,',
  "else the local host's key file in AMLSCHED_DATA_DIR (default .data/). Errors: one line on stderr, exit 1;",
  'bad arguments exit 2.',
  '',
].join('\n');

/** Adds `--output`, the connection note, and exits 2 (usage) on bad arguments instead of commander's 1. */
export function standard(command: Command): Command {
  return command
    .addOption(outputOption())
    .addHelpText('afterAll', CONNECTION_HELP)
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
}

export function print(format: OutputFormat, value: unknown, text: () => string): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else {
    const body = text();
    if (body !== '') process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
  }
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Text table with left-aligned columns. */
export function table(headers: string[], rows: (string | number | undefined)[][]): string {
  if (rows.length === 0) return '(none)';
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** Reads a positive integer option. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name}: expected a positive integer, got '${value}'`);
    return n;
  };
}
