import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { kafkaBrokerSource } from '../prerequisites';

export interface MockKafka {
  brokers: string[];
  stop(): Promise<void>;
}

const NPM_BROKER = join(__dirname, 'mock-broker.cjs');
const C_SOURCE = join(__dirname, 'mock-cluster.c');
const BOOTSTRAPS = /replaced with ((?:[\d.]+:\d+,?)+)/;

/**
 * Starts librdkafka's mock cluster, a Kafka-protocol broker on loopback. It comes from npm (the
 * librdkafka inside kafka-crab-js's prebuilt package); on a platform that package does not cover,
 * from Debian's librdkafka-dev and the C compiler. `npm test` checks first that one of the two is
 * there (test/support/prerequisites.ts).
 */
export async function startMockKafka(brokerCount = 3): Promise<MockKafka> {
  const source = kafkaBrokerSource();
  if (source.kind === 'missing') throw new Error(source.remedy);
  const child: ChildProcess =
    source.kind === 'npm'
      ? spawn(process.execPath, [NPM_BROKER, String(brokerCount)], { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn(buildCMockCluster(), [String(brokerCount)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const brokers = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = source.kind === 'npm' ? BOOTSTRAPS.exec(out)?.[1] : out.includes('\n') ? out.split('\n')[0].trim() : undefined;
      if (found) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // librdkafka keeps logging: drain it so the pipe never fills
        resolve(found.replace(/,$/, '').split(','));
      }
    };
    child.stdout!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock Kafka cluster exited with ${code} before it was ready`)));
  });
  return {
    brokers,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

function buildCMockCluster(): string {
  const dir = join(tmpdir(), 'cadre-ledger-mock-kafka');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, `mock-cluster-${Math.floor(statSync(C_SOURCE).mtimeMs)}`);
  if (!existsSync(binary)) {
    const scratch = `${binary}.${process.pid}.tmp`; // jest workers may build at once: rename is atomic
    execFileSync('cc', ['-O1', '-o', scratch, C_SOURCE, '-lrdkafka'], { stdio: 'inherit' });
    execFileSync('mv', ['-f', scratch, binary]);
  }
  return binary;
}
