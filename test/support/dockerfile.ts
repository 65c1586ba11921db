import { readFileSync } from 'node:fs';

/** The parts of a Dockerfile's final stage that say how the image runs. */
export interface ImageRun {
  env: Record<string, string>;
  cmd: string[];
  workdir: string | undefined;
  user: string | undefined;
  /** Every `COPY` of every stage: its sources (for a check that they exist) and whether from a stage. */
  copies: { sources: string[]; fromStage: boolean }[];
  healthcheck: string[] | undefined;
}

/** Joins continued lines and drops comments, then reads ENV, CMD, WORKDIR, USER, COPY, HEALTHCHECK. */
export function readDockerfile(path: string): ImageRun {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const copies: ImageRun['copies'] = [];
  let final: string[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) final = [];
    else final.push(line);
    const copy = /^COPY\s+(.*)$/i.exec(line);
    if (copy) {
      const words = copy[1].split(/\s+/);
      const fromStage = words.some((w) => w.startsWith('--from='));
      const paths = words.filter((w) => !w.startsWith('--'));
      copies.push({ sources: paths.slice(0, -1), fromStage });
    }
  }
  const run: ImageRun = { env: {}, cmd: [], workdir: undefined, user: undefined, copies, healthcheck: undefined };
  for (const line of final) {
    const [instruction, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const pair of argument.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
          const at = pair.indexOf('=');
          run.env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
        }
        break;
      case 'CMD':
        run.cmd = JSON.parse(argument) as string[];
        break;
      case 'WORKDIR':
        run.workdir = argument;
        break;
      case 'USER':
        run.user = argument;
        break;
      case 'HEALTHCHECK': {
        const json = argument.slice(argument.indexOf('CMD') + 3).trim();
        run.healthcheck = JSON.parse(json) as string[];
        break;
      }
    }
  }
  return run;
}
