import { cliEnv, runLedger } from './support/ledger-cli';

jest.setTimeout(120_000);

const NO_DATABASE = 'postgres://unused@127.0.0.1:1/unused';

describe('ledger usage and exit codes (child process)', () => {
  const env = cliEnv(NO_DATABASE);

  it.each(['replay', 'verify', 'export', 'import', 'token', 'demo', 'rebuild'])('%s --help describes the subcommand and exits 0', async (subcommand) => {
    const { code, stdout } = await runLedger([subcommand, '--help'], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: ledger ${subcommand}`);
  });

  it('exits 2 for an unknown subcommand or option', async () => {
    expect((await runLedger(['bogus'], env)).code).toBe(2);
    expect((await runLedger(['verify', '--everything'], env)).code).toBe(2);
    expect((await runLedger(['rebuild', '--everything'], env)).code).toBe(2);
  });

  it('exits 2 when the store cannot be reached', async () => {
    const { code, stderr } = await runLedger(['verify'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot open the event store');
  });
});
