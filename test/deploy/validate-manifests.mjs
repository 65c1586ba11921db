// Validates Kubernetes manifests (multi-document YAML on stdin) offline: built-in kinds against the
// kubernetes-models JSON schemas (types, required fields, enums, formats), custom resources against
// the openAPIV3Schema of the operators' vendored CRDs (deploy/k8s/crds), with unknown fields refused
// where the API server would prune them. Prints one JSON report; run by test/deploy/deploy.int-spec.ts
// as a plain node process, because kubernetes-models is an ES module that jest cannot load.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

const [crdDir] = process.argv.slice(2);
const input = readFileSync(0, 'utf8');

/** Every object schema that lists properties and does not preserve unknown fields gets additionalProperties: false. */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v)])) : strict(value);
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.yaml') ? [path] : [];
  });
}

const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addKeyword('x-kubernetes-preserve-unknown-fields').addKeyword('x-kubernetes-int-or-string').addKeyword('x-kubernetes-list-type').addKeyword('x-kubernetes-list-map-keys').addKeyword('x-kubernetes-map-type').addKeyword('x-kubernetes-validations').addKeyword('x-kubernetes-embedded-resource');
const custom = new Map();
for (const file of files(crdDir)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const schema = strict(version.schema.openAPIV3Schema);
      custom.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
}

const report = [];
for (const doc of parseAllDocuments(input)) {
  const manifest = doc.toJS();
  if (!manifest) continue;
  const { apiVersion, kind } = manifest;
  const name = manifest.metadata?.name;
  const entry = { apiVersion, kind, name, validatedBy: null, errors: [] };
  const crd = custom.get(`${apiVersion}/${kind}`);
  if (crd) {
    entry.validatedBy = 'crd';
    if (!crd(manifest)) entry.errors = crd.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
  } else {
    const group = apiVersion.includes('/') ? apiVersion : `v1/${apiVersion}`.replace('v1/v1', 'v1');
    try {
      const module = await import(`kubernetes-models/${group}/${kind}`);
      entry.validatedBy = 'kubernetes-models';
      try {
        new module[kind](manifest).validate();
      } catch (error) {
        entry.errors = [error.message];
      }
    } catch {
      entry.errors = [`no schema for ${apiVersion} ${kind}: neither a built-in kind nor a vendored CRD`];
    }
  }
  report.push(entry);
}
process.stdout.write(JSON.stringify(report));
