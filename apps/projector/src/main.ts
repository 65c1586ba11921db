import { loadConfig, runUntilSignal } from '@cadre-ledger/platform';
import { startProjectorProcess } from './projector';

/** `npm run start:projector` (and `start:prod:projector` from dist/): read models, clock and relay without the HTTP API. */
runUntilSignal('cadre-ledger projector', async () => {
  const running = await startProjectorProcess(process.env, (line) => console.log(line));
  return { stop: () => running.stop(), timeoutMs: loadConfig().http.shutdownTimeoutMs + 5_000 };
});
