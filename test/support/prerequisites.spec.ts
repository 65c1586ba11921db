import { spawnSync } from 'node:child_process';
import { nodeMajor, requiredNodeMajor } from './prerequisites';

/**
 * The tests run on the Node that package.json's `engines` names (the devDependency `node`, first on
 * npm's PATH), not on whatever Node the machine has: this jest worker (and so every child spawned
 * with `process.execPath`, as the CLI tests spawn `ledger`), and every `#!/usr/bin/env node` script.
 */
describe('the Node the tests run on', () => {
  it('is the engines major or later in the jest worker itself', () => {
    expect(nodeMajor()).toBeGreaterThanOrEqual(requiredNodeMajor());
  });

  it('is the one `node` on PATH names, so npm scripts and their children use it too', () => {
    const onPath = spawnSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(onPath.status).toBe(0);
    expect(onPath.stdout.trim()).toBe(process.versions.node);
  });
});
