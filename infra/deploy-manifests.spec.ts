import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import * as apps from 'kubernetes-models/apps/v1';
import * as core from 'kubernetes-models/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { API_ENV_KEYS, loadConfig as loadApiConfig } from '../apps/api/src/config/config.js';
import { TRANSCODER_ENV_KEYS, loadConfig as loadTranscoderConfig } from '../apps/transcoder/src/config/config.js';

// The deployment files cannot be applied here (no cluster, no kustomize binary), so they are checked
// offline: every Kubernetes object against the API schema of its kind (kubernetes-models, generated from
// the Kubernetes OpenAPI; KEDA's from its CRDs), every reference between objects, and every environment
// variable against the variables the process it starts reads, with values its config accepts.

const here = fileURLToPath(new URL('.', import.meta.url));
const k8sDir = join(here, 'k8s');

type Obj = { apiVersion: string; kind: string; metadata: { name: string } };

interface Validatable {
  validate(): void;
}
type Model = new (data: Obj) => Validatable;
const MODELS: Record<string, Model> = {
  'v1/Namespace': core.Namespace,
  'v1/Service': core.Service,
  'v1/PersistentVolumeClaim': core.PersistentVolumeClaim,
  'apps/v1/Deployment': apps.Deployment,
  'networking.k8s.io/v1/Ingress': networking.Ingress,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': keda.ScaledObject as unknown as Model,
};

const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  configMapGenerator: Array<{ name: string; literals: string[] }>;
  secretGenerator: Array<{ name: string; envs: string[] }>;
};
const objects: Obj[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((d) => d.toJS() as Obj),
);
// Typed views; the schema test below is what proves each object has the shape its type claims.
const ofKind = <T>(kind: string) => objects.filter((o) => o.kind === kind) as unknown as T[];
const deployments = ofKind<apps.IDeployment>('Deployment');
const services = ofKind<core.IService>('Service');
const scaledObjects = ofKind<keda.IScaledObject>('ScaledObject');
const keyValues = (lines: string[]) => Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const envFile = (file: string) =>
  keyValues(
    readFileSync(join(k8sDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#')),
  );

const podSpec = (d: apps.IDeployment) => d.spec!.template.spec!;
const containersOf = (d: apps.IDeployment) => [...(podSpec(d).initContainers ?? []), ...podSpec(d).containers];

/** What each command reads: its config's variables, or for the migration only DATABASE_URL. */
function programOf(command: string[] = []) {
  const entry = command.join(' ');
  if (entry.includes('apps/api/')) return { keys: API_ENV_KEYS, load: loadApiConfig };
  if (entry.includes('apps/transcoder/')) return { keys: TRANSCODER_ENV_KEYS, load: loadTranscoderConfig };
  if (entry.includes('scripts/migrate.mjs')) return { keys: ['DATABASE_URL'], load: () => undefined };
  throw new Error(`unknown command ${entry}`);
}

describe('infra/k8s (kustomize)', () => {
  it('lists every manifest in the folder, and each one exists', () => {
    const yamlFiles = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(yamlFiles.sort());
    expect(kustomization.secretGenerator[0].envs).toEqual(['secrets.env']);
  });

  it('has only kinds it knows, each valid against its Kubernetes (or KEDA) schema', () => {
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `${o.apiVersion} ${o.kind} ${o.metadata.name}`).toBeDefined();
      expect(() => new Model(o).validate(), `${o.kind} ${o.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check itself refuses a broken manifest', () => {
    const broken = structuredClone(deployments[0]) as unknown as {
      spec: { template: { spec: { containers: Array<{ image: unknown }> } } };
    };
    broken.spec.template.spec.containers[0].image = 42;
    expect(() => new MODELS['apps/v1/Deployment'](broken as unknown as Obj).validate()).toThrow(/image must be string/);
  });

  it('connects its objects: selectors, volumes, config, scale targets, backends and probe ports', () => {
    const podLabels = deployments.map((d) => d.spec!.template.metadata!.labels!);
    const selects = (selector: Record<string, string> = {}) =>
      Object.keys(selector).length > 0 && podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
    for (const s of services) expect(selects(s.spec!.selector), `Service ${s.metadata!.name}`).toBe(true);
    for (const p of ofKind<policy.IPodDisruptionBudget>('PodDisruptionBudget'))
      expect(selects(p.spec!.selector!.matchLabels), `PDB ${p.metadata!.name}`).toBe(true);

    const claims = new Set(ofKind<core.IPersistentVolumeClaim>('PersistentVolumeClaim').map((c) => c.metadata!.name));
    const generated = new Set([...kustomization.configMapGenerator, ...kustomization.secretGenerator].map((g) => g.name));
    for (const d of deployments) {
      const name = d.metadata!.name;
      expect(d.spec!.selector.matchLabels).toEqual(d.spec!.template.metadata!.labels);
      for (const v of podSpec(d).volumes ?? [])
        if (!v.emptyDir) expect(claims.has(v.persistentVolumeClaim!.claimName), `${name} volume`).toBe(true);
      for (const c of containersOf(d)) {
        for (const from of c.envFrom ?? [])
          expect(generated.has((from.configMapRef ?? from.secretRef)!.name!), `${name} envFrom`).toBe(true);
        const portNames = new Set((c.ports ?? []).map((p) => p.name));
        for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
          const port = probe?.httpGet?.port;
          if (port !== undefined) expect(portNames.has(String(port)), `${name} probe port ${port}`).toBe(true);
        }
      }
    }
    for (const so of scaledObjects) expect(deployments.map((d) => d.metadata!.name)).toContain(so.spec.scaleTargetRef.name);

    const byName = new Map(services.map((s) => [s.metadata!.name, s]));
    for (const ing of ofKind<networking.IIngress>('Ingress'))
      for (const rule of ing.spec!.rules ?? [])
        for (const path of rule.http!.paths) {
          const svc = byName.get(path.backend.service!.name);
          expect(svc, path.backend.service!.name).toBeDefined();
          expect(svc!.spec!.ports!.map((p) => p.name)).toContain(path.backend.service!.port!.name);
        }
  });

  it('sets only variables the started process reads, with values its config accepts', () => {
    const shared = { ...keyValues(kustomization.configMapGenerator[0].literals), ...envFile('secrets.env.example') };
    // Read by KEDA's scaler from the scale target's environment, not by Reelroom.
    const forKeda = new Set(
      scaledObjects.flatMap((so) =>
        so.spec.triggers.flatMap((t) =>
          Object.entries(t.metadata)
            .filter(([k]) => k.endsWith('FromEnv'))
            .map(([, v]) => v),
        ),
      ),
    );
    const readByAnyone = new Set([...API_ENV_KEYS, ...TRANSCODER_ENV_KEYS, ...forKeda]);
    expect(
      Object.keys(shared).filter((k) => !readByAnyone.has(k)),
      'config map and secrets',
    ).toEqual([]);
    for (const d of deployments)
      for (const c of containersOf(d)) {
        const program = programOf(c.command);
        const own = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '10.0.0.7'])); // valueFrom: a pod IP
        const label = `${d.metadata!.name}/${c.name}`;
        const unknown = Object.keys(own).filter((k) => !program.keys.includes(k) && !forKeda.has(k));
        expect(unknown, `${label} sets variables nothing reads`).toEqual([]);
        expect(() => program.load({ ...shared, ...own }), label).not.toThrow();
      }
    // The KEDA lists are the queues' real keys under the configured prefix.
    const prefix = shared.QUEUE_PREFIX;
    for (const so of scaledObjects)
      for (const t of so.spec.triggers) expect(t.metadata.listName).toMatch(new RegExp(`^${prefix}:(media|media-import):(wait|active)$`));
  });
});

describe('infra/docker-compose.yml', () => {
  const compose = parse(readFileSync(join(here, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: unknown; image?: string; environment?: Record<string, string>; command?: string[] }>;
  };
  // Services built from the Dockerfile run its CMD (the API) unless they name another command.
  const ours = Object.entries(compose.services).filter(([, svc]) => svc.build !== undefined);

  it('runs two API processes and two transcoders, and nginx proxies to every API service', () => {
    const apis = ours.filter(([, svc]) => svc.command === undefined).map(([name]) => name);
    expect(apis.length).toBeGreaterThanOrEqual(2);
    expect((compose.services.transcoder as { deploy?: { replicas: number } }).deploy?.replicas).toBeGreaterThanOrEqual(2);
    const nginx = readFileSync(join(here, 'nginx.conf'), 'utf8');
    for (const api of apis) {
      expect(nginx).toContain(`server ${api}:3000`);
      expect(nginx).toContain(`server ${api}:1935`);
      expect(compose.services[api].environment!.RTMP_PULL_HOST).toBe(api);
    }
  });

  // Compose's own interpolation of `${VAR:-default}`, as when VAR is not set in the shell (or from `shell`).
  const envOf = (svc: { environment?: Record<string, string> }, shell: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(svc.environment ?? {}).map(([k, v]) => [
        k,
        String(v).replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, dflt: string) => shell[name] ?? dflt),
      ]),
    );

  it('gives each process only variables it reads, with values its config accepts', () => {
    for (const [name, svc] of ours) {
      const program = programOf(svc.command ?? ['node', 'apps/api/dist/main.js']);
      const env = envOf(svc);
      expect(
        Object.keys(env).filter((k) => !program.keys.includes(k)),
        name,
      ).toEqual([]);
      expect(() => program.load(env), name).not.toThrow();
    }
  });

  it('MEDIA_DELIVERY=signed works as is: nginx passes the public base path to MinIO with the signed Host', () => {
    const api = loadApiConfig(envOf(compose.services.api1, { MEDIA_DELIVERY: 'signed' }));
    expect(api.mediaDelivery.mode).toBe('signed');
    const base = new URL((api.mediaDelivery as { publicBaseUrl: string }).publicBaseUrl);
    expect(base.origin).toBe('http://localhost:3000'); // the proxy's published port: the page's own origin
    const endpoint = new URL((api.storage as { endpoint: string }).endpoint);
    const nginx = readFileSync(join(here, 'nginx.conf'), 'utf8');
    const location = new RegExp(`location ${base.pathname}/ \\{([^}]*)\\}`).exec(nginx)?.[1];
    expect(location, `nginx location ${base.pathname}/`).toBeDefined();
    // The prefix is cut (proxy_pass with a path), the rest of the path and the query pass unchanged.
    expect(location).toContain(`proxy_pass ${endpoint.origin}/;`);
    expect(location).toContain(`proxy_set_header Host ${endpoint.host};`);
    expect(Object.keys(compose.services)).toContain(endpoint.hostname);
  });
});
