import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES } from '@cadre-ledger/platform';
import { topicPlan } from '@cadre-ledger/messaging';
import { buildProgram } from '../../apps/cli/src/main';
import { readDockerfile } from '../support/dockerfile';
import { kustomizationDir, renderKustomization } from './kustomize-lite';

/**
 * deploy/ is validated here, because no container engine or cluster runs on these machines:
 * the compose file against the Compose Specification's JSON schema; every rendered Kubernetes
 * overlay against the Kubernetes schemas (kubernetes-models: types, required fields, enums; and the
 * TypeScript types' excess-property check: no unknown field) and the operators' CRD schemas; and
 * across all three and the Dockerfile, that the commands name programs the build produces, that
 * every variable set is one the ledger reads, and that the files mounted exist.
 */
jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const KNOWN_VARIABLES = new Set(CONFIG_VARIABLES.map((v) => v.name));
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; data?: Record<string, string> };

/** `node dist/apps/x/src/main.js` is built from apps/x/src/main.ts; `node bin/ledger.js <cmd>` must name a CLI command. */
function expectRunnable(command: string[]): void {
  expect(command[0]).toBe('node');
  const script = command[1];
  if (script.startsWith('dist/')) {
    expect(existsSync(join(ROOT, script.slice('dist/'.length).replace(/\.js$/, '.ts')))).toBe(true);
  } else {
    expect(script).toBe('bin/ledger.js');
    expect(existsSync(join(ROOT, script))).toBe(true);
    expect(buildProgram().commands.map((c) => c.name())).toContain(command[2]);
  }
}

const unknownVariables = (names: string[]) => names.filter((n) => !KNOWN_VARIABLES.has(n));

describe('the image (Dockerfile)', () => {
  const image = readDockerfile(join(ROOT, 'Dockerfile'));

  it('runs the compiled API as a non-root user, with a health check, listening beyond loopback', () => {
    expectRunnable(image.cmd);
    expect(image.user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(image.env).toMatchObject({ HOST: '0.0.0.0', NODE_ENV: 'production' });
    expect(unknownVariables(Object.keys(image.env).filter((n) => n !== 'NODE_ENV'))).toEqual([]);
    expect(image.healthcheck?.join(' ')).toContain('/health/live');
  });

  it('copies only what exists, and .dockerignore lets it through', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
    for (const { sources, fromStage } of image.copies) {
      if (fromStage) continue;
      for (const source of sources) {
        expect(existsSync(join(ROOT, source))).toBe(true);
        expect(ignore).toContain(`!${source}`);
      }
    }
  });
});

describe('deploy/compose', () => {
  const dir = join(DEPLOY, 'compose');
  const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string>; volumes?: string[]; deploy?: { replicas?: number } }>;
  };
  const ledgerServices = Object.entries(compose.services).filter(([, s]) => s.image?.includes('cadre-ledger'));

  /** The schema names its meta-schema by https:// address; it is draft-07, which Ajv knows as http://…#. */
  const composeValidator = () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
    return ajv.compile(JSON.parse(readFileSync(join(DEPLOY, 'schemas', 'compose-spec', 'compose-spec.json'), 'utf8')));
  };

  it('is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would refuse a service the schema does not allow (the validation can fail)', () => {
    const validate = composeValidator();
    expect(validate({ services: { api: { image: 'x', restart_policy: 'always', deploy: { replicas: 'two' } } } })).toBe(false);
  });

  it('is a whole site: a 3-node KurrentDB cluster, 3 KRaft brokers and their topic job, PostgreSQL, API ×2 behind a proxy, projectors ×2 as one group, Prometheus and Grafana', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'kafka-1', 'kafka-2', 'kafka-3', 'kafka-topics', 'postgres', 'migrate', 'api', 'nginx', 'projector-follow', 'projector-group', 'prometheus', 'grafana']));
    expect(compose.services.api.deploy?.replicas).toBe(2);
    expect(compose.services['projector-group']).toMatchObject({ deploy: { replicas: 2 }, environment: { PROJECTOR_MODE: 'kafka-group', KAFKA_GROUP_ID: 'cadre-ledger-projectors' } });
    // One projection path: the replicas project, the follow process relays and keeps the clock.
    expect(compose.services['projector-follow'].environment).toMatchObject({ PROJECTOR_MODE: 'follow', LEDGER_READ_MODELS_BY: 'kafka-group' });
    expect(compose.services.api.environment?.LEDGER_API_PROJECTOR).toBe('off');
    for (const n of [1, 2, 3]) expect(compose.services[`kurrentdb-${n}`].environment).toMatchObject({ KURRENTDB_CLUSTER_SIZE: '3' });
    for (const n of [1, 2, 3]) expect(compose.services[`kafka-${n}`].environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller', KAFKA_NODE_ID: String(n) });
    // Every topic of the ledger's plan (`ledger kafka topics`), with its cleanup policy.
    const topics = readFileSync(join(dir, 'kafka', 'create-topics.sh'), 'utf8');
    for (const planned of topicPlan({ partitions: 12, replicationFactor: 3, publishV1: true })) {
      const line = topics.split('\n').find((l) => l.startsWith(`create ${planned.topic} `));
      expect({ topic: planned.topic, line: line ?? 'missing' }).toEqual({ topic: planned.topic, line: expect.stringContaining(planned.configs['cleanup.policy'] === 'compact' ? 'cleanup.policy=compact' : 'retention.ms=-1') });
    }
  });

  it('runs programs the build produces, sets only variables the ledger reads, and mounts files that exist', () => {
    expect(ledgerServices.length).toBeGreaterThanOrEqual(4);
    for (const [, service] of ledgerServices) {
      expectRunnable(service.command ?? []);
      expect(unknownVariables(Object.keys(service.environment ?? {}))).toEqual([]);
    }
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(existsSync(join(dir, source))).toBe(true);
      }
    }
  });

  it('provisions Prometheus with every service that has metrics, and Grafana with a dashboard of metrics the ledger exports', () => {
    const prometheus = parse(readFileSync(join(dir, 'prometheus', 'prometheus.yml'), 'utf8')) as { scrape_configs: { dns_sd_configs?: { names: string[] }[] }[] };
    const scraped = prometheus.scrape_configs.flatMap((c) => c.dns_sd_configs ?? []).flatMap((d) => d.names);
    expect(scraped).toEqual(expect.arrayContaining(['api', 'projector-follow', 'projector-group']));
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana', 'dashboards', 'cadre-ledger.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const sources = ['apps/api/src/metrics/metrics.ts', 'apps/projector/src/operations-server.ts', 'libs/messaging/src/kafka/metrics.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/ledger_[a-z_]+/g) ?? [])).map((m) => m.replace(/_(bucket|sum|count)$/, '')));
    expect(used.size).toBeGreaterThan(3);
    for (const metric of used) expect(sources).toContain(`'${metric}'`);
  });
});

describe('deploy/k8s', () => {
  const overlays = ['staging', 'production'];
  const kubectl = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const kustomizeVersion = kubectl.status === 0 ? ((JSON.parse(kubectl.stdout) as { kustomizeVersion?: string }).kustomizeVersion ?? '') : '';
  const withKubectl = /^v[4-9]/.test(kustomizeVersion);
  const rendered = new Map<string, Manifest[]>();
  const render = (overlay: string): Manifest[] => {
    if (!rendered.has(overlay)) {
      const manifests = withKubectl
        ? parseAllDocuments(execFileSync('kubectl', ['kustomize', kustomizationDir(overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).map((d) => d.toJS() as Manifest)
        : renderKustomization(kustomizationDir(overlay));
      rendered.set(overlay, manifests);
    }
    return rendered.get(overlay) as Manifest[];
  };
  const validate = (manifests: Manifest[]) => {
    const out = execFileSync(process.execPath, [join(__dirname, 'validate-manifests.mjs'), join(DEPLOY, 'k8s', 'crds')], { input: manifests.map((m) => JSON.stringify(m)).join('\n---\n'), encoding: 'utf8', cwd: ROOT });
    return JSON.parse(out) as { kind: string; name: string; validatedBy: string | null; errors: string[] }[];
  };

  it.each(overlays)('renders %s (kubectl kustomize where kustomize v4+ is on the machine, and the same objects without it)', (overlay) => {
    const manifests = render(overlay);
    expect(manifests.length).toBeGreaterThan(20);
    if (withKubectl) {
      const lite = renderKustomization(kustomizationDir(overlay));
      const key = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
      expect(Object.fromEntries(lite.map((m) => [key(m), m]))).toEqual(Object.fromEntries(manifests.map((m) => [key(m), m])));
    }
  });

  it.each(overlays)('validates every manifest of %s against the Kubernetes schemas and the operators\' CRDs', (overlay) => {
    const report = validate(render(overlay));
    expect(report.filter((r) => r.errors.length > 0)).toEqual([]);
    const plan = topicPlan({ partitions: 12, replicationFactor: 3, publishV1: true });
    expect(report.filter((r) => r.validatedBy === 'crd').map((r) => r.kind).sort()).toEqual(['Cluster', 'Kafka', 'KafkaNodePool', ...plan.map(() => 'KafkaTopic'), 'ScheduledBackup']);
    // The operator's topics are the ledger's plan, each with its cleanup policy.
    const declared = render(overlay).filter((m) => m.kind === 'KafkaTopic');
    for (const planned of plan) {
      const topic = declared.find((m) => m.metadata.name === planned.topic) as { spec: { config: Record<string, unknown> } } | undefined;
      expect({ topic: planned.topic, compacted: topic?.spec.config['cleanup.policy'] === 'compact' }).toEqual({ topic: planned.topic, compacted: planned.configs['cleanup.policy'] === 'compact' });
    }
  });

  it('refuses what the schemas refuse: a wrong type, and a misspelled field of a custom resource', () => {
    const manifests = render('production');
    const broken = structuredClone(manifests).map((m) => {
      if (m.kind === 'HorizontalPodAutoscaler') (m.spec as Record<string, unknown>).minReplicas = 'three';
      if (m.kind === 'KafkaTopic') (m.spec as Record<string, unknown>).partitons = 24;
      return m;
    });
    const failing = validate(broken).filter((r) => r.errors.length > 0).map((r) => `${r.kind}/${r.name}: ${r.errors.join('; ')}`);
    expect(failing).toEqual(expect.arrayContaining([expect.stringMatching(/^HorizontalPodAutoscaler\/cadre-ledger-api: .*minReplicas must be integer/), expect.stringMatching(/^KafkaTopic\/.*partitons/)]));
  });

  it('has no field the Kubernetes types do not know (TypeScript\'s excess-property check over every built-in object)', () => {
    const builtIn = render('production').filter((m) => !['Kafka', 'KafkaNodePool', 'KafkaTopic', 'Cluster', 'ScheduledBackup'].includes(m.kind));
    const dir = join(ROOT, 'node_modules', '.cache', 'deploy-check');
    mkdirSync(dir, { recursive: true });
    const typeOf = (m: Manifest) => `import('kubernetes-models/${m.apiVersion.includes('/') ? m.apiVersion : 'v1'}/${m.kind}').I${m.kind}`;
    const source = (objects: Manifest[]) => objects.map((m, i) => `export const o${i}: ${typeOf(m)} = ${JSON.stringify(m)};`).join('\n');
    const check = (objects: Manifest[]) => {
      writeFileSync(join(dir, 'manifests.ts'), source(objects));
      return spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', '--types', 'node', join(dir, 'manifests.ts')], { encoding: 'utf8', cwd: ROOT });
    };
    const clean = check(builtIn);
    expect(clean.stdout).toBe('');
    const typo = structuredClone(builtIn);
    const api = typo.find((m) => m.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    api.spec.template.spec.containers[0].livenesProbe = {};
    expect(check(typo).stdout).toMatch(/'"?livenesProbe"?' does not exist in type 'IContainer'/);
  });

  it('gives every ledger workload probes, resources, a non-root read-only container, the secrets by reference, and only variables the ledger reads', () => {
    const manifests = render('production');
    const workloads = manifests.filter((m) => ['Deployment', 'Job'].includes(m.kind) && m.metadata.name.startsWith('cadre-ledger'));
    expect(workloads.map((w) => w.metadata.name).sort()).toEqual(['cadre-ledger-api', 'cadre-ledger-migrate', 'cadre-ledger-projector-follow', 'cadre-ledger-projector-group']);
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'cadre-ledger-config') as Manifest;
    expect(unknownVariables(Object.keys(config.data ?? {}))).toEqual([]);
    for (const workload of workloads) {
      const pod = (workload.spec as { template: { spec: { containers: { command: string[]; env: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[]; readinessProbe?: unknown; livenessProbe?: unknown; resources?: { limits?: unknown }; securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean } }[] } } }).template.spec;
      for (const container of pod.containers) {
        expectRunnable(container.command);
        expect(unknownVariables(container.env.map((e) => e.name))).toEqual([]);
        expect(container.env.filter((e) => e.value !== undefined && /PASSWORD|SECRET|DATABASE_URL|CONNECTION_STRING/.test(e.name))).toEqual([]);
        expect(container.resources?.limits).toBeDefined();
        expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
        if (workload.kind === 'Deployment') expect([container.readinessProbe, container.livenessProbe].every(Boolean)).toBe(true);
      }
    }
    for (const kind of ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) expect(manifests.some((m) => m.kind === kind)).toBe(true);
    for (const hpa of manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
      const target = (hpa.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
      expect(manifests.some((m) => m.kind === target.kind && m.metadata.name === target.name)).toBe(true);
    }
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    expect(new Set(manifests.map((m) => m.metadata.namespace ?? m.metadata.name))).toEqual(new Set(['cadre-ledger']));
  });

  it('names in docs/operations.md every Secret the manifests reference', () => {
    const referenced = new Set<string>();
    const walk = (node: unknown, key = ''): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, key));
      if (node === null || typeof node !== 'object') return;
      const object = node as Record<string, unknown>;
      if (typeof object.secretName === 'string') referenced.add(object.secretName);
      if ((key === 'secretKeyRef' || key === 'accessKeyId' || key === 'secretAccessKey') && typeof object.name === 'string') referenced.add(object.name);
      for (const [k, v] of Object.entries(object)) walk(v, k);
    };
    walk(render('production'));
    expect([...referenced].sort()).toEqual(['cadre-ledger-auth', 'cadre-ledger-eventstore', 'cadre-ledger-signing-key', 'cadre-ledger-tls', 'kurrentdb-tls', 'kurrentdb-users', 'ledger-backup-s3', 'ledger-postgres-app']);
    const guide = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const name of referenced) expect(guide).toContain(`\`${name}\``);
  });
});
