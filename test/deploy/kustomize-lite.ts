import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

/**
 * Renders the kustomizations of deploy/k8s without kubectl, for a machine that has none: exactly
 * the features they use (resources as files or directories, namespace, images, labels without
 * selectors, strategic-merge patches from files, JSON 6902 patches with a target, a merging
 * configMapGenerator). The deploy test renders with `kubectl kustomize` where it can, and then
 * also checks that this gives the same objects, so that the fallback stays true.
 */
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean }[];
  patches?: ({ path: string } | { target: { kind: string; name: string }; patch: string })[];
  configMapGenerator?: { name: string; behavior?: string; literals?: string[] }[];
}

const NAMESPACED_EXCEPT = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

export function renderKustomization(dir: string): Manifest[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  let objects: Manifest[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readManifests(path)));
  }
  for (const label of k.labels ?? []) {
    for (const o of objects) o.metadata.labels = { ...(o.metadata.labels ?? {}), ...label.pairs };
  }
  for (const generator of k.configMapGenerator ?? []) {
    const target = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === generator.name);
    if (!target || generator.behavior !== 'merge') throw new Error(`kustomize-lite: only a merging configMapGenerator of an existing ConfigMap (${generator.name})`);
    const data = (target.data ?? {}) as Record<string, string>;
    for (const literal of generator.literals ?? []) data[literal.slice(0, literal.indexOf('='))] = literal.slice(literal.indexOf('=') + 1);
    target.data = data;
  }
  for (const patch of k.patches ?? []) {
    if ('path' in patch) {
      for (const p of readManifests(resolve(dir, patch.path))) {
        const target = find(objects, p.kind, p.metadata.name);
        objects = objects.map((o) => (o === target ? (merge(o, p, isBuiltIn(o)) as Manifest) : o));
      }
    } else {
      const target = find(objects, patch.target.kind, patch.target.name);
      for (const op of parse(patch.patch) as { op: string; path: string; value: unknown }[]) {
        if (op.op !== 'replace') throw new Error(`kustomize-lite: only replace operations (${op.op})`);
        const parts = op.path.split('/').slice(1);
        let node: Record<string, unknown> = target as unknown as Record<string, unknown>;
        for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
        node[parts[parts.length - 1]] = op.value;
      }
    }
  }
  for (const image of k.images ?? []) {
    for (const o of objects) {
      for (const c of containersOf(o)) {
        if (c.image === image.name || c.image.startsWith(`${image.name}:`)) c.image = `${image.newName ?? image.name}${image.newTag ? `:${image.newTag}` : ''}`;
      }
    }
  }
  if (k.namespace) for (const o of objects) if (!NAMESPACED_EXCEPT.has(o.kind)) o.metadata.namespace = k.namespace;
  return objects;
}

function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function find(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`kustomize-lite: a patch names ${kind} ${name}, which no resource defines`);
  return found;
}

const isBuiltIn = (o: Manifest) => !o.apiVersion.includes('.') || o.apiVersion.includes('k8s.io/');

/** Strategic merge for built-in kinds (lists of named items merged by name); JSON merge patch (lists replaced) for custom resources, as kustomize does. */
function merge(base: unknown, patch: unknown, strategic: boolean): unknown {
  if (Array.isArray(patch)) {
    if (!strategic || !Array.isArray(base) || !patch.every((p) => p && typeof p === 'object' && 'name' in p)) return patch;
    const out = [...base] as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const at = out.findIndex((b) => b.name === item.name);
      if (at >= 0) out[at] = merge(out[at], item, strategic) as Record<string, unknown>;
      else out.push(item);
    }
    return out;
  }
  if (patch && typeof patch === 'object' && base && typeof base === 'object' && !Array.isArray(base)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch)) out[key] = value === null ? undefined : merge(out[key], value, strategic);
    return out;
  }
  return patch;
}

function containersOf(o: Manifest): { image: string }[] {
  const spec = (o as { spec?: { template?: { spec?: { containers?: { image: string }[]; initContainers?: { image: string }[] } } } }).spec;
  return [...(spec?.template?.spec?.containers ?? []), ...(spec?.template?.spec?.initContainers ?? [])];
}

export const kustomizationDir = (overlay: string): string => join(dirname(dirname(__dirname)), 'deploy', 'k8s', 'overlays', overlay);
