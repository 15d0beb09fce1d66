/**
 * The Kubernetes deployment, checked without a cluster: `helm lint`, then `helm template` rendered with
 * the minimal values and with every option on, each rendering validated by kubeconform in strict mode
 * against the JSON schemas of the Kubernetes API (converted offline from the API's OpenAPI document),
 * and read here for what a schema cannot say: non-root read-only containers with requests, limits and
 * probes, two replicas of the projector and the notifier, an autoscaled gateway with a disruption budget.
 * deploy/local/helm-tools.sh provides helm, kubeconform and the schemas (built once per machine).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HttpConfig, loadConfig } from '@axis/config';
import { loadAll } from 'js-yaml';

const REPO_ROOT = resolve(__dirname, '../..');
const CHART = join(REPO_ROOT, 'deploy/helm/axis-scim');
const TOOLS = join(REPO_ROOT, 'deploy/local/.tools');
const KUBERNETES_VERSION = /^KUBERNETES_VERSION=(\S+)$/m.exec(readFileSync(join(REPO_ROOT, 'deploy/local/helm-tools.sh'), 'utf8'))![1]!;
const SCHEMA_LOCATION = join(TOOLS, 'kubernetes-json-schema', KUBERNETES_VERSION, '{{ .ResourceKind }}{{ .KindSuffix }}.json');

const DATABASE_URL = 'postgres://axis:secret@postgresql.db.svc:5432/axis';
const MINIMAL = ['--set', `database.url=${DATABASE_URL}`];
const ESDB_URL = 'esdb://admin:changeit@eventstore.db.svc:2113?tls=true';
const EVERYTHING_ON = [
  '--set', 'secrets.existingSecret=axis-scim-credentials',
  '--set', 'kafka.brokers=kafka-0.kafka.svc:9093\\,kafka-1.kafka.svc:9093',
  '--set', 'kafka.tls.enabled=true',
  '--set', 'kafka.tls.caSecret.name=kafka-ca',
  '--set', 'kafka.sasl.mechanism=scram-sha-512',
  '--set', 'config.PUBLIC_URL=https://scim.example.com',
  '--set', 'config.SCIM_BASE_DOMAIN=scim.example.com',
  // A JSON (and YAML) number arrives as float64: a million must reach the process as 3600000, not 3.6e+06.
  '--set-json', 'config.SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS=3600000',
  '--set', 'imagePullSecrets[0].name=registry',
  '--set', 'image.repository=registry.example.com/axis-scim',
  '--set', 'image.tag=1.2.3',
];
const PROCESSES = { gateway: 'scim-gateway', projector: 'projector', notifier: 'notifier' } as const;

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    securityContext?: Record<string, unknown>;
    containers: Container[];
    volumes?: Array<{ name: string; emptyDir?: Record<string, unknown>; secret?: { secretName: string } }>;
    automountServiceAccountToken?: boolean;
  };
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown> & { template?: PodTemplate; replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  data?: Record<string, string>;
}
interface KubeconformReport {
  resources: Array<{ kind: string; name: string; status: string; msg: string }>;
  summary: { valid: number; invalid: number; errors: number; skipped: number };
}

function run(command: string, args: string[], input?: string) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', input, timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function helm(...args: string[]) {
  return run(join(TOOLS, 'bin/helm'), args);
}

/** `helm template` of the chart; throws with helm's message when it refuses the values. */
function render(values: string[]): string {
  const result = helm('template', 'axis', CHART, '--namespace', 'scim', ...values);
  if (result.status !== 0) throw new Error(`helm template failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

function parse(manifest: string): Resource[] {
  return loadAll(manifest).filter((document): document is Resource => document !== null && typeof document === 'object');
}

/** kubeconform -strict over a rendering: every resource with its status (valid ones too, -verbose). */
function kubeconform(manifest: string): { status: number | null; report: KubeconformReport; stderr: string } {
  const result = run(join(TOOLS, 'bin/kubeconform'), ['-strict', '-summary', '-verbose', '-output', 'json', '-schema-location', SCHEMA_LOCATION, '-'], manifest);
  return { status: result.status, report: JSON.parse(result.stdout) as KubeconformReport, stderr: result.stderr };
}

function expectAllValid(manifest: string): void {
  const resources = parse(manifest);
  const { status, report, stderr } = kubeconform(manifest);
  const notValid = report.resources.filter((one) => one.status !== 'statusValid');
  expect({ notValid, stderr }).toEqual({ notValid: [], stderr: '' });
  // Every rendered resource was validated: none skipped, none missing from the report.
  expect(report.summary).toEqual({ valid: resources.length, invalid: 0, errors: 0, skipped: 0 });
  expect(status).toBe(0);
}

const byKind = (resources: Resource[], kind: string) => resources.filter((one) => one.kind === kind);
function one(resources: Resource[], kind: string, name: string): Resource {
  const found = resources.filter((resource) => resource.kind === kind && resource.metadata.name === name);
  expect(found.map((resource) => `${resource.kind}/${resource.metadata.name}`)).toEqual([`${kind}/${name}`]);
  return found[0]!;
}
const podTemplate = (deployment: Resource): PodTemplate => deployment.spec!.template!;
const decoded = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));

describe('deploy/helm/axis-scim', () => {
  let minimal: Resource[];
  let everything: Resource[];

  beforeAll(() => {
    const ensured = spawnSync('bash', [join(REPO_ROOT, 'deploy/local/helm-tools.sh')], { encoding: 'utf8', timeout: 20 * 60_000 });
    if (ensured.status !== 0) throw new Error(`deploy/local/helm-tools.sh failed (${ensured.status}):\n${ensured.stderr}`);
    minimal = parse(render(MINIMAL));
    everything = parse(render(EVERYTHING_ON));
  }, 21 * 60_000);

  it('passes helm lint --strict', () => {
    const result = helm('lint', '--strict', CHART, ...MINIMAL);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it('renders, with the minimal values, only resources that kubeconform -strict validates against the Kubernetes schemas', () => {
    expectAllValid(render(MINIMAL));
    expect(minimal.map((resource) => `${resource.kind}/${resource.metadata.name}`).sort()).toEqual(
      [
        'ConfigMap/axis-axis-scim',
        'Deployment/axis-axis-scim-gateway',
        'Deployment/axis-axis-scim-notifier',
        'Deployment/axis-axis-scim-projector',
        'HorizontalPodAutoscaler/axis-axis-scim-gateway',
        'PodDisruptionBudget/axis-axis-scim-gateway',
        'PodDisruptionBudget/axis-axis-scim-notifier',
        'PodDisruptionBudget/axis-axis-scim-projector',
        'Secret/axis-axis-scim',
        'Service/axis-axis-scim-gateway',
        'Service/axis-axis-scim-notifier',
        'Service/axis-axis-scim-projector',
        'ServiceAccount/axis-axis-scim',
      ].sort(),
    );
  });

  it('renders, with every option on, only resources that kubeconform -strict validates', () => {
    expectAllValid(render(EVERYTHING_ON));
  });

  it('shows that the validation can fail: a malformed quantity and an unknown field are rejected', () => {
    const badQuantity = kubeconform(render([...MINIMAL, '--set-json', 'gateway.resources.limits.cpu={"bad":1}']));
    expect(badQuantity.status).not.toBe(0);
    expect(badQuantity.report.resources.filter((one) => one.status === 'statusInvalid').map((one) => `${one.kind}/${one.name}`)).toEqual([
      'Deployment/axis-axis-scim-gateway',
    ]);
    const unknownField = kubeconform(render([...MINIMAL, '--set', 'containerSecurityContext.runAsRoot=false']));
    expect(unknownField.status).not.toBe(0);
    const invalid = unknownField.report.resources.filter((one) => one.status === 'statusInvalid');
    expect(invalid.map((one) => one.kind)).toEqual(['Deployment', 'Deployment', 'Deployment']);
    expect(invalid[0]!.msg).toContain('runAsRoot');
    // A kind without a schema is an error, never a silent skip.
    const unknownKind = kubeconform('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: axis}\nspec: {}\n');
    expect(unknownKind.status).not.toBe(0);
    expect(unknownKind.report.resources.map((one) => [one.status, one.msg])).toEqual([['statusError', expect.stringContaining('could not find schema')]]);
  });

  it('refuses to render without PostgreSQL, or with a secret in the ConfigMap', () => {
    expect(() => render([])).toThrow(/database\.url is required/);
    expect(() => render([...MINIMAL, '--set', 'config.SCIM_BEARER_TOKEN=x'.padEnd(40, 'x')])).toThrow(/config\.SCIM_BEARER_TOKEN would put a secret into the ConfigMap/);
    expect(() => render([...MINIMAL, '--set', 'eventStore.url=postgres://elsewhere/db'])).toThrow(/eventStore\.url must be an esdb/);
    // An existing Secret replaces the chart's: a secret value beside it would be silently ignored.
    expect(() => render([...MINIMAL, '--set', 'secrets.existingSecret=mine'])).toThrow(/secrets\.existingSecret replaces the chart's Secret/);
  });

  it.each([
    ['minimal values', () => minimal],
    ['every option on', () => everything],
  ])('runs every container non-root on a read-only root filesystem, with requests, limits and probes (%s)', (_name, resources) => {
    const deployments = byKind(resources(), 'Deployment');
    expect(deployments).toHaveLength(3);
    for (const deployment of deployments) {
      const pod = podTemplate(deployment).spec;
      expect({ deployment: deployment.metadata.name, pod: pod.securityContext }).toEqual({
        deployment: deployment.metadata.name,
        pod: expect.objectContaining({ runAsNonRoot: true, runAsUser: expect.any(Number) }),
      });
      expect((pod.securityContext!['runAsUser'] as number) > 0).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        const where = `${deployment.metadata.name}/${container.name}`;
        expect({ where, securityContext: container.securityContext }).toEqual({
          where,
          securityContext: expect.objectContaining({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          }),
        });
        expect({ where, requests: Object.keys(container.resources?.requests ?? {}).sort(), limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({
          where,
          requests: ['cpu', 'memory'],
          limits: ['cpu', 'memory'],
        });
        const portNames = container.ports.map((port) => port.name);
        expect({ where, startup: container.startupProbe?.httpGet.path, liveness: container.livenessProbe?.httpGet.path, readiness: container.readinessProbe?.httpGet.path }).toEqual({
          where,
          startup: '/healthz',
          liveness: '/healthz',
          readiness: '/readyz',
        });
        for (const probe of [container.startupProbe!, container.livenessProbe!, container.readinessProbe!]) expect(portNames).toContain(probe.httpGet.port);
        // The only writable paths are emptyDirs (and read-only Secret mounts).
        for (const mount of container.volumeMounts ?? []) {
          const volume = pod.volumes!.find((candidate) => candidate.name === mount.name)!;
          expect({ where, mount: mount.mountPath, writable: volume.emptyDir !== undefined || mount.readOnly === true }).toEqual({ where, mount: mount.mountPath, writable: true });
        }
      }
    }
  });

  it('runs each process from the one image with its own entry point, scraped by Prometheus on the port that serves /metrics', () => {
    for (const [component, app] of Object.entries(PROCESSES)) {
      const template = podTemplate(one(everything, 'Deployment', `axis-axis-scim-${component}`));
      const [container] = template.spec.containers;
      expect(container!.image).toBe('registry.example.com/axis-scim:1.2.3');
      expect(container!.command).toEqual(['node', `apps/${app}/dist/main.js`]);
      const annotations = template.metadata.annotations!;
      expect([annotations['prometheus.io/scrape'], annotations['prometheus.io/path']]).toEqual(['true', '/metrics']);
      expect(container!.ports.map((port) => String(port.containerPort))).toEqual([annotations['prometheus.io/port']]);
      // The listener must face the pod network, not 127.0.0.1 (the processes' default).
      const env = Object.fromEntries((container!.env ?? []).map((variable) => [variable.name, variable.value]));
      if (component === 'gateway') expect([env['HOST'], env['PORT']]).toEqual(['0.0.0.0', annotations['prometheus.io/port']]);
      else expect([env['METRICS_HOST'], env['METRICS_PORT']]).toEqual(['0.0.0.0', annotations['prometheus.io/port']]);
    }
    expect(podTemplate(one(minimal, 'Deployment', 'axis-axis-scim-gateway')).spec.containers[0]!.image).toBe(
      `axis-scim:${/^appVersion:\s*"?([^"\s]+)"?/m.exec(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'))![1]}`,
    );
  });

  it('runs two replicas of the projector and the notifier (one active, one standby), each with a disruption budget', () => {
    for (const component of ['projector', 'notifier']) {
      const deployment = one(minimal, 'Deployment', `axis-axis-scim-${component}`);
      expect(deployment.spec!.replicas).toBe(2);
      const budget = one(minimal, 'PodDisruptionBudget', `axis-axis-scim-${component}`);
      expect(budget.spec!['maxUnavailable']).toBe(1);
      expect(budget.spec!.selector!.matchLabels).toEqual(deployment.spec!.selector!.matchLabels);
    }
  });

  it('scales the gateway with a HorizontalPodAutoscaler (which then owns the replica count) and a PodDisruptionBudget', () => {
    const gateway = one(minimal, 'Deployment', 'axis-axis-scim-gateway');
    expect(gateway.spec!.replicas).toBeUndefined();
    const autoscaler = one(minimal, 'HorizontalPodAutoscaler', 'axis-axis-scim-gateway');
    expect(autoscaler.apiVersion).toBe('autoscaling/v2');
    expect(autoscaler.spec!['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'axis-axis-scim-gateway' });
    expect((autoscaler.spec!['minReplicas'] as number) >= 2).toBe(true);
    const budget = one(minimal, 'PodDisruptionBudget', 'axis-axis-scim-gateway');
    expect(budget.apiVersion).toBe('policy/v1');
    expect(budget.spec!.selector!.matchLabels).toEqual(gateway.spec!.selector!.matchLabels);
    // Selectors must not match another process's pods.
    expect(podTemplate(one(minimal, 'Deployment', 'axis-axis-scim-projector')).metadata.labels).not.toMatchObject(gateway.spec!.selector!.matchLabels!);

    const fixed = parse(render([...MINIMAL, '--set', 'gateway.autoscaling.enabled=false', '--set', 'gateway.replicas=3']));
    expect(one(fixed, 'Deployment', 'axis-axis-scim-gateway').spec!.replicas).toBe(3);
    expect(byKind(fixed, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('keeps secrets in a Secret (or the existing one) and the rest in a ConfigMap, under names the processes read', () => {
    const secret = one(minimal, 'Secret', 'axis-axis-scim');
    expect(decoded(secret.data!)).toEqual({ DATABASE_URL });
    const configMap = one(minimal, 'ConfigMap', 'axis-axis-scim');
    expect(JSON.stringify(configMap.data)).not.toContain('secret@');

    const withSecrets = parse(
      render([...MINIMAL, '--set', `eventStore.url=${ESDB_URL}`, '--set', `secrets.scimBearerToken=${'t'.repeat(32)}`, '--set', 'kafka.brokers=kafka:9092', '--set', 'kafka.sasl.mechanism=plain', '--set', 'kafka.sasl.username=axis', '--set', 'kafka.sasl.password=pw']),
    );
    expect(decoded(one(withSecrets, 'Secret', 'axis-axis-scim').data!)).toEqual({
      DATABASE_URL,
      EVENT_STORE_URL: ESDB_URL,
      SCIM_BEARER_TOKEN: 't'.repeat(32),
      KAFKA_SASL_USERNAME: 'axis',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(JSON.stringify(one(withSecrets, 'ConfigMap', 'axis-axis-scim').data)).not.toMatch(/changeit|"pw"|tttt/);

    expect(byKind(everything, 'Secret')).toEqual([]);
    const everythingConfig = one(everything, 'ConfigMap', 'axis-axis-scim').data!;
    expect(everythingConfig).toMatchObject({
      KAFKA_BROKERS: 'kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      PUBLIC_URL: 'https://scim.example.com',
    });
    for (const component of Object.keys(PROCESSES)) {
      const template = podTemplate(one(everything, 'Deployment', `axis-axis-scim-${component}`));
      const [container] = template.spec.containers;
      expect(container!.envFrom).toEqual([{ configMapRef: { name: 'axis-axis-scim' } }, { secretRef: { name: 'axis-scim-credentials' } }]);
      const caFile = container!.env!.find((variable) => variable.name === 'KAFKA_SSL_CA_FILE')!.value!;
      const mount = container!.volumeMounts!.find((candidate) => caFile.startsWith(`${candidate.mountPath}/`))!;
      expect(template.spec.volumes!.find((volume) => volume.name === mount.name)!.secret!.secretName).toBe('kafka-ca');
    }

    // What the processes make of it: their own config loader accepts the environment each container gets.
    const existingSecret = { DATABASE_URL, EVENT_STORE_URL: ESDB_URL, KAFKA_SASL_USERNAME: 'axis', KAFKA_SASL_PASSWORD: 'secret' };
    for (const [resources, secretData] of [
      [minimal, decoded(secret.data!)],
      [everything, existingSecret],
    ] as const) {
      const configData = one(resources, 'ConfigMap', 'axis-axis-scim').data!;
      for (const deployment of byKind(resources, 'Deployment')) {
        const container = podTemplate(deployment).spec.containers[0]!;
        const env = { ...configData, ...secretData, ...Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.value])) };
        const config = loadConfig(HttpConfig, env);
        expect(config.readModelUrl()).toBe(DATABASE_URL);
        if (resources === everything) {
          expect([config.eventStoreUrl(), config.kafkaBrokers(), config.kafkaSsl(), config.SCIM_REQUEST_LOG_PRUNE_INTERVAL_MS]).toEqual([
            ESDB_URL,
            ['kafka-0.kafka.svc:9093', 'kafka-1.kafka.svc:9093'],
            true,
            3_600_000,
          ]);
        }
      }
    }

    // Every variable the chart sets is one the processes read (the root README lists them all).
    const documented = new Set([...readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]));
    documented.add('KAFKA_SASL_USERNAME').add('KAFKA_SASL_PASSWORD');
    const set = [
      ...Object.keys(configMap.data!),
      ...Object.keys(everythingConfig),
      ...Object.keys(secret.data!),
      ...byKind(everything, 'Deployment').flatMap((deployment) => podTemplate(deployment).spec.containers.flatMap((container) => (container.env ?? []).map((variable) => variable.name))),
    ];
    expect(set.filter((name) => !documented.has(name))).toEqual([]);
  });
});
