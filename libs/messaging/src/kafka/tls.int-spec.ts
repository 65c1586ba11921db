import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { loadConfig } from '@cadre-ledger/platform';
import { startMockKafka, type MockKafka } from '../../../../test/support/kafka/mock-cluster';
import { createKafka } from './client';

/**
 * KAFKA_TLS_* end to end, through a loopback TLS endpoint: a TLS server with a certificate of a
 * CA made for the test, forwarding to the mock broker (which speaks plaintext only). The ledger's
 * client, configured by the variables alone, connects through it (the TLS handshake checked
 * against the CA, then Kafka's ApiVersions exchange with the broker behind it), and refuses the
 * same endpoint when given another CA. The brokers the mock cluster advertises in its metadata are
 * its plaintext ones, so what follows a connection (metadata, producing) is beyond this test, as
 * docs/kafka.md says.
 */
jest.setTimeout(60_000);

function certificates(dir: string): { ca: string; otherCa: string; cert: string; key: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  for (const name of ['ca', 'other']) openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', `/CN=${name} test CA`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  return { ca: join(dir, 'ca.pem'), otherCa: join(dir, 'other.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

describe('Kafka over TLS (KAFKA_TLS_CA_FILE)', () => {
  let kafka: MockKafka;
  let endpoint: Server;
  let address: string;
  let files: ReturnType<typeof certificates>;
  /** Bytes the broker sent back through the endpoint. */
  let answered = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    files = certificates(dir);
    kafka = await startMockKafka(1);
    const [host, port] = kafka.brokers[0].split(':');
    endpoint = createServer({ cert: await readFile(files.cert), key: await readFile(files.key) }, (tls) => {
      const plain = connect(Number(port), host);
      plain.on('data', (chunk: Buffer) => (answered += chunk.length));
      tls.pipe(plain).pipe(tls);
      const close = () => (tls.destroy(), plain.destroy());
      tls.on('error', close);
      plain.on('error', close);
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const bound = endpoint.address();
    address = `127.0.0.1:${typeof bound === 'object' && bound ? bound.port : 0}`;
  });
  afterAll(async () => {
    if (endpoint) await new Promise((resolve) => endpoint.close(resolve));
    await kafka?.stop();
  });

  it('connects through the TLS endpoint with the configured CA, and the broker answers through it', async () => {
    const admin = createKafka(loadConfig({ KAFKA_BROKERS: address, KAFKA_TLS_CA_FILE: files.ca }).kafka, () => undefined).admin({ retry: { retries: 0 } });
    const before = answered;
    await admin.connect();
    await admin.disconnect();
    expect(answered).toBeGreaterThan(before); // the ApiVersions answer came back over TLS
  });

  it('refuses the endpoint when its certificate is not of the configured CA', async () => {
    // Its log lines are the refusal this test expects: kept out of the test output.
    const admin = createKafka(loadConfig({ KAFKA_BROKERS: address, KAFKA_TLS_CA_FILE: files.otherCa }).kafka, () => undefined).admin({ retry: { retries: 0 } });
    await expect(admin.connect()).rejects.toThrow(/certificate|self.signed|verify/i);
    await admin.disconnect().catch(() => undefined);
  });
});
