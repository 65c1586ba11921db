import { runUntilSignal } from '@cadre-ledger/platform';
import { startProjectorProcess } from './projector';

/** `npm run start:projector`: read models, clock and relay without the HTTP API. */
runUntilSignal('cadre-ledger projector', () => startProjectorProcess(process.env, (line) => console.log(line)));
