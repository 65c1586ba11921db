// Lints an OpenAPI document (JSON on stdin) with Redocly's recommended rules and prints every
// problem as JSON. Run by test/e2e/openapi.e2e-spec.ts as a plain node process: the linter is an
// ES module that jest cannot load.
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const source = readFileSync(0, 'utf8');
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: `${process.cwd()}/openapi.json`, config });
process.stdout.write(JSON.stringify(problems.map((p) => ({ severity: p.severity, rule: p.ruleId, message: p.message, at: p.location.map((l) => l.pointer) }))));
