import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface MockKafka {
  brokers: string[];
  stop(): Promise<void>;
}

const SOURCE = join(__dirname, 'mock-cluster.c');

/**
 * Builds (once per source change) and starts librdkafka's mock cluster, a Kafka-protocol broker
 * on loopback. Needs Debian's librdkafka-dev and a C compiler; .ci/run installs the package.
 */
export async function startMockKafka(brokerCount = 3): Promise<MockKafka> {
  const binary = buildMockCluster();
  const child: ChildProcess = spawn(binary, [String(brokerCount)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock Kafka cluster exited with ${code} before it was ready`)));
  });
  return {
    brokers: line.split(','),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

function buildMockCluster(): string {
  const dir = join(tmpdir(), 'cadre-ledger-mock-kafka');
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, `mock-cluster-${Math.floor(statSync(SOURCE).mtimeMs)}`);
  if (!existsSync(binary)) {
    const scratch = `${binary}.${process.pid}.tmp`; // jest workers may build at once: rename is atomic
    execFileSync('cc', ['-O1', '-o', scratch, SOURCE, '-lrdkafka'], { stdio: 'inherit' });
    execFileSync('mv', ['-f', scratch, binary]);
  }
  return binary;
}
