// ESLint flat config. Orchestrators replay, so they must be deterministic: the
// rules for orchestrators/** ban I/O modules, SDKs, clocks and randomness.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'http', 'https', 'http2', 'net', 'dgram', 'dns', 'tls',
  'child_process', 'cluster', 'worker_threads', 'crypto', 'timers', 'timers/promises',
  'process', 'readline', 'stream', 'zlib', 'vm', 'perf_hooks', 'async_hooks', 'module', 'url',
];

export default tseslint.config(
  { ignores: ['dist/**', '.build/**', '.data/**', 'node_modules/**', 'scripts/**', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['orchestrators/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((name) => [
          { name, message: 'Orchestrators must not do I/O: move it into an activity.' },
          { name: `node:${name}`, message: 'Orchestrators must not do I/O: move it into an activity.' },
        ]),
        patterns: [
          { group: ['@azure/*', '!@azure/functions'], message: 'No SDK calls in orchestrators: use an activity.' },
          { group: ['**/shared/compute/**', '**/shared/datastore/**', '**/shared/state/**', '**/shared/registry/**', '**/devhost/**', '**/functions/**'],
            message: 'Orchestrators may import only pure domain modules and durable-functions.' },
          { group: ['better-sqlite3', 'pino', 'hono', '@hono/*', 'azurite', 'commander'], message: 'No I/O libraries in orchestrators.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use context.df.createTimer.' },
        { name: 'setInterval', message: 'Use context.df.createTimer.' },
        { name: 'setImmediate', message: 'Not deterministic.' },
        { name: 'fetch', message: 'No I/O in orchestrators: use an activity.' },
        { name: 'process', message: 'No environment access in orchestrators.' },
        { name: 'require', message: 'Use static imports of pure modules.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use context.df.currentUtcDateTime.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use context.df.currentUtcDateTime.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Not deterministic: derive values from inputs.' },
        { selector: "CallExpression[callee.object.name='crypto'][callee.property.name='randomUUID']", message: 'Use context.df.newGuid.' },
      ],
    },
  },
);
