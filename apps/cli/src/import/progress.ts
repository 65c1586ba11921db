import { MultiBar, Presets } from 'cli-progress';

export interface ProgressState {
  /** Facts appended or found already stored. */
  done: number;
  refused: number;
  bytesRead: number;
  totalBytes: number;
  startedAt: number;
}

export interface ProgressReporter {
  update(state: ProgressState): void;
  /** A message (a refused line) that must not tear the bar. */
  log(line: string): void;
  stop(state: ProgressState): void;
}

const rateOf = (s: ProgressState) => s.done / Math.max((Date.now() - s.startedAt) / 1000, 0.001);

/** ETA from bytes, since lines differ in length and the file is not counted beforehand. */
function etaSeconds(s: ProgressState): number | undefined {
  const elapsed = (Date.now() - s.startedAt) / 1000;
  if (s.bytesRead === 0 || elapsed <= 0) return undefined;
  return Math.max(0, (s.totalBytes - s.bytesRead) / (s.bytesRead / elapsed));
}

const formatEta = (seconds: number | undefined) =>
  seconds === undefined ? '?' : seconds >= 3600 ? `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m` : seconds >= 60 ? `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s` : `${Math.round(seconds)}s`;

export function progressLine(s: ProgressState): string {
  const percent = s.totalBytes > 0 ? Math.floor((100 * s.bytesRead) / s.totalBytes) : 100;
  return `progress: ${s.done} facts done, ${s.refused} refused, ${percent}% of input, ${Math.round(rateOf(s))} facts/s, ETA ${formatEta(etaSeconds(s))}`;
}

/** A bar on a terminal; elsewhere (logs, CI, pipes) a plain line at most every `intervalMs`. */
export function progressReporter(tty: boolean, intervalMs = 1000): ProgressReporter {
  if (!tty) {
    let last = 0;
    return {
      update(state) {
        if (Date.now() - last < intervalMs) return;
        last = Date.now();
        process.stderr.write(`${progressLine(state)}\n`);
      },
      log: (line) => process.stderr.write(`${line}\n`),
      stop: (state) => process.stderr.write(`${progressLine(state)}\n`),
    };
  }
  const bars = new MultiBar(
    { format: 'import [{bar}] {percentage}% | {done} facts | {refused} refused | {rate} facts/s | ETA {etaText}', hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  const bar = bars.create(100, 0, { done: 0, refused: 0, rate: 0, etaText: '?' });
  const payload = (s: ProgressState) => ({ done: s.done, refused: s.refused, rate: Math.round(rateOf(s)), etaText: formatEta(etaSeconds(s)) });
  return {
    update: (s) => bar.update(s.totalBytes > 0 ? Math.floor((100 * s.bytesRead) / s.totalBytes) : 0, payload(s)),
    log: (line) => bars.log(`${line}\n`),
    stop(s) {
      bar.update(100, payload(s));
      bars.stop();
    },
  };
}
