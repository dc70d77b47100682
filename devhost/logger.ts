import pino, { type Logger } from 'pino';
import { redactSecrets } from '../shared/errors';

export type { Logger };

/**
 * The host's logger: JSON lines on stderr (stdout stays free for command output). Messages pass
 * through `redactSecrets`, and fields that may hold secrets are censored by path.
 */
export function createLogger(level: string = process.env.AMLSCHED_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { component: 'devhost' },
      redact: {
        paths: ['key', 'keys', 'code', 'connectionString', '*.connectionString', 'headers["x-functions-key"]', 'headers.authorization'],
        censor: '***',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything (in-process tests that do not care about logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
