// What the workloads under infra/kubernetes run, against what the processes accept: each
// container's arguments through the process's own command-line parser; probes, Services, the
// PodDisruptionBudget and the NetworkPolicy on ports and pods that exist; the DNS server as
// CoreDNS's replacement (forward to the node's resolvers, lameduck within the grace period,
// critical priority, spread); the node-local DaemonSet's addresses, upstream and privileges; the
// sync publishing only the Services that opt in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { configFromArgs } from '../functions/entry/container-flags.ts';
import { syncConfigFromArgs } from '../sync/config/sync-flags.ts';
import { parseDuration } from '../common/config/duration.ts';
import { REPO_ROOT } from './support/container.ts';
import { kustomizations, type Obj } from './support/kube-manifests.ts';

const manifests = kustomizations().flatMap((k) =>
  k.objects.map((o) => ({ folder: k.folder, ...o })),
);
const one = <T>(folder: string, kind: string) => {
  const found = manifests.filter((m) => m.folder === folder && m.obj.kind === kind);
  assert.equal(found.length, 1, `${folder}: one ${kind}`);
  return found[0]!.obj as Obj & T;
};
const dns = one<IDeployment>('dns', 'Deployment');
const sync = one<IDeployment>('sync', 'Deployment');
const nodeLocal = one<IDaemonSet>('node-local', 'DaemonSet');
const dnsPod = dns.spec!.template.spec!;
const nodeLocalPod = nodeLocal.spec!.template.spec!;
const dnsContainer = dnsPod.containers[0]!;
const nodeLocalDns = nodeLocalPod.containers.find((c) => c.name === 'dns')!;

/** `--flag value` pairs ('' for a flag without a value), repeated flags joined by a newline. */
function flags(c: IContainer): Map<string, string> {
  const out = new Map<string, string>();
  const args = c.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const next = args[i + 1];
    const value = next !== undefined && !next.startsWith('--') ? args[++i]! : '';
    const seen = out.get(flag);
    out.set(flag, seen === undefined ? value : `${seen}\n${value}`);
  }
  return out;
}
const port = (hostPort: string | undefined) => Number(hostPort?.split(':').at(-1));
/** The kubelet expands $(VAR) from the Service variables; any address does for parsing. */
const expanded = (c: IContainer) => c.args!.map((a) => a.replace(/\$\(\w+\)/g, '192.0.2.10'));
const noFiles = (path: string): string => {
  throw new Error(`no file is read while parsing, yet ${path} was`);
};

test("each container's arguments parse with its process's own parser", () => {
  assert.equal(dnsContainer.image!.split(':')[0], 'edge-dns');
  assert.equal(nodeLocalDns.image!.split(':')[0], 'edge-dns');
  for (const c of [dnsContainer, nodeLocalDns]) {
    assert.equal(c.command, undefined, "the image's ENTRYPOINT runs the process");
    configFromArgs(expanded(c), noFiles);
  }
  const s = sync.spec!.template.spec!.containers[0]!;
  assert.equal(s.image!.split(':')[0], 'edge-dns-sync');
  syncConfigFromArgs(s.args!, noFiles, { leaseNamespace: 'edge-dns', identity: 'pod-0' });
  // And the parsers are not lenient: a misspelt flag is refused.
  assert.throws(() => configFromArgs([...expanded(dnsContainer), '--lameduk', '5s'], noFiles));
  // The server and the sync build records alike (the edge answers as the cluster does).
  for (const flag of ['--zones', '--ttl', '--pods'])
    assert.equal(flags(dnsContainer).get(flag), flags(s).get(flag), flag);
});

test('the DNS server replaces CoreDNS: forward to the node, lameduck, priority, spread', () => {
  const f = flags(dnsContainer);
  assert.equal(f.get('--forward'), '.=/etc/resolv.conf');
  assert.equal(dnsPod.dnsPolicy, 'Default', "the node's resolv.conf, not the cluster's");
  assert.equal(dnsPod.priorityClassName, 'system-cluster-critical');
  // SIGTERM: lameduck, then the drain; the grace period must cover both.
  const lameduckMs = parseDuration(f.get('--lameduck')!, 'reject');
  assert.equal(lameduckMs, 5000);
  assert.ok(dnsPod.terminationGracePeriodSeconds! * 1000 >= lameduckMs + 10_000);
  const labels = dns.spec!.template.metadata!.labels!;
  const selects = (s: { matchLabels?: Record<string, string> } | undefined) =>
    Object.entries(s?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    Object.keys(s?.matchLabels ?? {}).length > 0;
  const anti = dnsPod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  assert.ok(
    anti?.some((t) => selects(t.podAffinityTerm.labelSelector)),
    'anti-affinity',
  );
  assert.ok(
    dnsPod.topologySpreadConstraints?.every((t) => selects(t.labelSelector)),
    'spread',
  );
  assert.ok(dns.spec!.replicas! >= 2);
});

test('probes, metrics and DNS ports: declared, and where the process listens', () => {
  for (const c of [dnsContainer, nodeLocalDns]) {
    const f = flags(c);
    const declared = (p: number | string | undefined, protocol = 'TCP') =>
      c.ports?.find(
        (cp) => (cp.name === p || cp.containerPort === p) && (cp.protocol ?? 'TCP') === protocol,
      );
    for (const [probe, path, flag] of [
      [c.livenessProbe, '/health', '--health'],
      [c.readinessProbe, '/ready', '--ready'],
    ] as const) {
      assert.equal(probe?.httpGet?.path, path, c.name);
      assert.equal(declared(probe.httpGet.port)?.containerPort, port(f.get(flag)), path);
    }
    for (const protocol of ['UDP', 'TCP'])
      assert.equal(
        declared('dns' + (protocol === 'TCP' ? '-tcp' : ''), protocol)?.containerPort,
        port(f.get('--dns')),
      );
    assert.equal(declared('metrics')?.containerPort, port(f.get('--metrics')));
    assert.ok(c.resources?.requests?.memory && c.resources.limits?.memory, 'memory');
  }
  // The pods' scrape annotations name the metrics port.
  for (const [w, c] of [
    [dns, dnsContainer],
    [nodeLocal, nodeLocalDns],
  ] as const)
    assert.equal(
      w.spec!.template.metadata!.annotations!['prometheus.io/port'],
      String(port(flags(c).get('--metrics'))),
    );
});

test('Services reach declared ports of the pods they select', () => {
  const services = manifests.filter((m) => m.obj.kind === 'Service');
  const pods = [dns, nodeLocal];
  const expected: Record<string, string[]> = {
    'edge-dns': ['53/TCP', '53/UDP', '9153/TCP'],
    'edge-dns-upstream': ['53/TCP', '53/UDP'],
    'edge-dns-node-local': ['9253/TCP'],
  };
  assert.deepEqual(services.map((s) => s.obj.metadata.name).sort(), Object.keys(expected).sort());
  for (const { obj, file } of services as unknown as { obj: IService; file: string }[]) {
    const selected = pods.filter((w) =>
      Object.entries(obj.spec!.selector!).every(
        ([k, v]) => w.spec!.template.metadata!.labels![k] === v,
      ),
    );
    assert.equal(selected.length, 1, `${file}: selects one workload`);
    const ports = obj.spec!.ports!;
    assert.deepEqual(
      ports.map((p) => `${p.port}/${p.protocol}`).sort(),
      expected[obj.metadata!.name!],
    );
    const containers = selected[0]!.spec!.template.spec!.containers;
    for (const p of ports)
      assert.ok(
        containers.some((c) =>
          c.ports?.some(
            (cp) =>
              (cp.name === p.targetPort || cp.containerPort === p.targetPort) &&
              (cp.protocol ?? 'TCP') === p.protocol,
          ),
        ),
        `${file}: ${p.name} -> ${p.targetPort}`,
      );
  }
});

test('the PodDisruptionBudget and the NetworkPolicy cover the DNS pods and their ports', () => {
  const labels = dns.spec!.template.metadata!.labels!;
  const pdb = one<IPodDisruptionBudget>('dns', 'PodDisruptionBudget');
  const policy = one<INetworkPolicy>('dns', 'NetworkPolicy');
  for (const selector of [pdb.spec!.selector!, policy.spec!.podSelector])
    assert.ok(Object.entries(selector!.matchLabels!).every(([k, v]) => labels[k] === v));
  assert.equal(pdb.spec!.maxUnavailable, 1);
  assert.ok(dns.spec!.replicas! > Number(pdb.spec!.maxUnavailable));
  const dnsPort = port(flags(dnsContainer).get('--dns'));
  const open = policy.spec!.ingress!.find((r) => r.from === undefined)!;
  assert.deepEqual(
    open.ports!.map((p) => `${p.port}/${p.protocol}`).sort(),
    [`${dnsPort}/TCP`, `${dnsPort}/UDP`],
    'DNS from anywhere',
  );
  const metrics = policy.spec!.ingress!.find((r) => r.from !== undefined)!;
  assert.deepEqual(
    metrics.ports!.map((p) => p.port),
    [port(flags(dnsContainer).get('--metrics'))],
  );
  assert.deepEqual(metrics.from, [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
  ]);
  const egress = policy.spec!.egress!.flatMap((r) =>
    r.ports!.map((p) => `${p.port}/${p.protocol}`),
  );
  assert.deepEqual(egress.sort(), ['443/TCP', '53/TCP', '53/UDP', '6443/TCP']);
});

test('node-local: its address on the interface and on --dns, cluster zones over TCP, least privilege', () => {
  assert.equal(nodeLocalPod.hostNetwork, true);
  assert.equal(nodeLocalPod.dnsPolicy, 'Default');
  const f = flags(nodeLocalDns);
  const address = f.get('--dns')!.split(':')[0]!;
  assert.equal(address, '169.254.20.10');
  const sidecar = nodeLocalPod.initContainers!.find((c) => c.restartPolicy === 'Always')!;
  assert.deepEqual(sidecar.args, ['run', address]);
  assert.deepEqual(sidecar.startupProbe!.exec!.command!.slice(-2), ['check', address]);
  // Cluster zones to edge-dns-upstream over TCP (the variable the kubelet sets for that Service),
  // the rest to the node's resolvers.
  const variable = 'EDGE_DNS_UPSTREAM_SERVICE_HOST';
  assert.ok(
    manifests.some((m) => m.obj.kind === 'Service' && m.obj.metadata.name === 'edge-dns-upstream'),
  );
  assert.deepEqual(f.get('--forward')!.split('\n'), [
    `cluster.local=tcp://$(${variable}):53`,
    `in-addr.arpa=tcp://$(${variable}):53`,
    `ip6.arpa=tcp://$(${variable}):53`,
    '.=/etc/resolv.conf',
  ]);
  const caps = (c: IContainer) => [
    c.securityContext?.capabilities?.drop,
    c.securityContext?.capabilities?.add,
  ];
  assert.deepEqual(caps(nodeLocalDns), [['ALL'], ['NET_BIND_SERVICE']]);
  assert.deepEqual(caps(sidecar), [['ALL'], ['NET_ADMIN', 'NET_RAW']]);
  for (const c of [nodeLocalDns, sidecar])
    assert.deepEqual(
      [c.securityContext?.allowPrivilegeEscalation, c.securityContext?.readOnlyRootFilesystem],
      [false, true],
      c.name,
    );
});

test('the DNS server and the sync run locked down: non-root, read-only, no capability', () => {
  for (const d of [dns, sync]) {
    const pod = d.spec!.template.spec!;
    assert.equal(pod.securityContext?.runAsNonRoot, true);
    for (const c of pod.containers)
      assert.deepEqual(
        [
          c.securityContext?.runAsNonRoot,
          c.securityContext?.readOnlyRootFilesystem,
          c.securityContext?.allowPrivilegeEscalation,
          c.securityContext?.capabilities?.drop,
          c.securityContext?.capabilities?.add,
        ],
        [true, true, false, ['ALL'], undefined],
        c.name,
      );
  }
  const s = sync.spec!.template.spec!.containers[0]!;
  assert.equal(s.resources?.limits?.memory, '384Mi');
  for (const name of ['POD_NAME', 'POD_NAMESPACE'])
    assert.ok(
      s.env?.some((e) => e.name === name && e.valueFrom?.fieldRef),
      name,
    );
});

test('the sync publishes only Services that opt in (edge-dns.io/expose), and the docs say how', () => {
  const s = sync.spec!.template.spec!.containers[0]!;
  const config = syncConfigFromArgs(s.args!, noFiles, {
    leaseNamespace: 'edge-dns',
    identity: 'pod-0',
  });
  assert.equal(config.kubernetes.expose, 'opt-in', 'nothing reaches the table unless chosen');
  for (const readme of ['infra/kubernetes/README.md', 'infra/README.md', 'sync/README.md'])
    assert.match(
      readFileSync(join(REPO_ROOT, readme), 'utf8'),
      /edge-dns\.io\/expose: "true"/,
      `${readme}: how to annotate a Service`,
    );
});
