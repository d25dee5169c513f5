// A deterministic synthetic cluster for benchmarks: a `kubectl get ns,svc,endpointslices,pods -A
// -o json` List of N services in M namespaces, and the query names known to exist in it, by kind.
// Usage: tsx bench/generate-cluster.ts [--services 10000] [--namespaces 100] [--seed 1]
//          [--zone cluster.local] [--pretty] > cluster.json
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

export interface GenerateOptions {
  services?: number;
  namespaces?: number;
  seed?: number;
  zone?: string;
  /** Average endpoints per non-ExternalName service (default 3: 1 to 5 each). */
  endpointsPerService?: number;
}

/** Names that exist in the generated cluster (canonical, no trailing dot), by what they answer. */
export interface QueryNames {
  /** ClusterIP services (IPv4-only and dual-stack): A answers the cluster IP. */
  a: string[];
  /** Dual-stack ClusterIP services: AAAA answers. */
  aaaa: string[];
  /** IPv4-only ClusterIP services: AAAA is NODATA (the name exists). */
  aaaaNodata: string[];
  /** Headless services: A answers the ready endpoint IPs. */
  headless: string[];
  /** `hostname.svc.ns.svc.<zone>` of headless endpoints: A answers one endpoint IP. */
  hostnames: string[];
  /** `_port._proto.svc.ns.svc.<zone>` of named ports: SRV answers. */
  srv: string[];
  /** Reverse names (in-addr.arpa / ip6.arpa) of service cluster IPs: PTR answers. */
  ptr: string[];
  /** ExternalName services: CNAME answers. */
  cname: string[];
  /** Names under existing namespaces that no object creates: NXDOMAIN. */
  nxdomain: string[];
}

type Item = Record<string, unknown>;
export interface KubeList {
  apiVersion: 'v1';
  kind: 'List';
  metadata: { resourceVersion: string };
  items: Item[];
}

/** mulberry32: a small seeded PRNG, enough for deterministic test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'api',
  'web',
  'auth',
  'billing',
  'cart',
  'search',
  'users',
  'orders',
  'catalog',
  'payments',
  'mail',
  'cache',
  'queue',
  'gateway',
  'report',
  'media',
];
const portChoices = [
  { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
  { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
  { name: 'grpc', port: 9090, targetPort: 9090, protocol: 'TCP' },
  { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
  { name: 'admin', port: 8081, targetPort: 8081, protocol: 'TCP' },
  { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
];

const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
/** An address in a /96-or-smaller IPv6 prefix given as `fd00:10:96::` and an offset. */
const ipv6 = (prefix: string, n: number) =>
  `${prefix}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
const reverse4 = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
function reverse6(ip: string): string {
  const [head = '', tail = ''] = ip.split('::');
  const h = head.split(':').filter(Boolean);
  const t = tail.split(':').filter(Boolean);
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

const serviceBase = (10 << 24) | (96 << 16); // 10.96.0.0/12, the kubeadm default
const podBase = (10 << 24) | (244 << 16); // 10.244.0.0/14
const created = '2024-01-01T00:00:00Z';

/** Generates the cluster; the same options always give the same output. */
export function generateCluster(options: GenerateOptions = {}): {
  list: KubeList;
  queries: QueryNames;
} {
  const services = options.services ?? 10_000;
  const namespaceCount = options.namespaces ?? 100;
  const zone = options.zone ?? 'cluster.local';
  const random = seededRandom(options.seed ?? 1);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const hex = (n: number) =>
    Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const alnum = (n: number) =>
    Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[int(0, 26)]).join('');
  const uid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  if (services < 1 || namespaceCount < 1)
    throw new Error('need at least one service and one namespace');

  const items: Item[] = [];
  const queries: QueryNames = {
    a: [],
    aaaa: [],
    aaaaNodata: [],
    headless: [],
    hostnames: [],
    srv: [],
    ptr: [],
    cname: [],
    nxdomain: [],
  };
  const namespaces = [
    'default',
    ...Array.from({ length: namespaceCount - 1 }, (_, i) => `ns-${String(i + 1).padStart(3, '0')}`),
  ];
  for (const ns of namespaces) {
    items.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        uid: uid(),
        creationTimestamp: created,
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      status: { phase: 'Active' },
    });
  }
  const pods: Item[] = [];
  const slices: Item[] = [];
  let podCount = 0;
  const nodeCount = Math.max(3, Math.ceil(services / 10));
  const meta = (name: string, ns: string, extra: Item = {}) => ({
    name,
    namespace: ns,
    uid: uid(),
    resourceVersion: String(1000 + items.length + pods.length + slices.length),
    creationTimestamp: created,
    ...extra,
  });

  for (let i = 0; i < services; i++) {
    const kube = i === 0;
    const ns = kube ? 'default' : namespaces[i % namespaceCount]!;
    const name = kube
      ? 'kubernetes'
      : `${words[int(0, words.length - 1)]}-${String(i).padStart(5, '0')}`;
    const fqdn = `${name}.${ns}.svc.${zone}`;
    const roll = random();
    const kind = kube
      ? 'clusterip'
      : roll < 0.005
        ? 'external'
        : roll < 0.105
          ? 'headless'
          : 'clusterip';
    const dual = kind === 'clusterip' && !kube && random() < 0.05;
    const offset = kube ? 1 : 16 + ((i * 7919) % 1_040_000); // unique per i (7919 is prime)
    const labels = { app: name };

    if (kind === 'external') {
      const target = `${name}.external.example.com`;
      items.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(name, ns, { labels }),
        spec: { type: 'ExternalName', externalName: target, sessionAffinity: 'None' },
      });
      queries.cname.push(fqdn);
      continue;
    }
    const ports = kube ? [portChoices[1]!] : pickPorts(int);
    const v4 = ipv4((serviceBase + offset) >>> 0);
    const v6 = ipv6('fd00:10:96::', offset);
    const clusterIPs = kind === 'headless' ? ['None'] : dual ? [v4, v6] : [v4];
    const families = dual ? ['IPv4', 'IPv6'] : ['IPv4'];
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, ns, { labels }),
      spec: {
        type: 'ClusterIP',
        clusterIP: clusterIPs[0],
        clusterIPs,
        ipFamilies: families,
        ipFamilyPolicy: dual ? 'PreferDualStack' : 'SingleStack',
        ports: ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: p.protocol,
          targetPort: p.targetPort,
        })),
        selector: labels,
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    });
    if (kind === 'headless') queries.headless.push(fqdn);
    else {
      queries.a.push(fqdn);
      (dual ? queries.aaaa : queries.aaaaNodata).push(fqdn);
      queries.ptr.push(reverse4(v4));
      if (dual) queries.ptr.push(reverse6(v6));
    }
    for (const p of ports) queries.srv.push(`_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`);

    // Pods behind the service: StatefulSet-style (hostname + subdomain) for headless ones.
    const count = int(1, 2 * (options.endpointsPerService ?? 3) - 1);
    const hash = alnum(10);
    const endpoints: { v4: string; v6: string; pod: string; node: string; hostname?: string }[] =
      [];
    for (let k = 0; k < count; k++) {
      if (podCount >= 262_000) throw new Error('too many pods for the 10.244.0.0/14 pod range');
      const n = podCount++;
      const podName = kind === 'headless' ? `${name}-${k}` : `${name}-${hash}-${alnum(5)}`;
      const node = `node-${String(n % nodeCount).padStart(4, '0')}`;
      const ep = {
        v4: ipv4((podBase + 2 + n) >>> 0),
        v6: ipv6('fd00:10:244::', 2 + n),
        pod: podName,
        node,
        ...(kind === 'headless' ? { hostname: podName } : {}),
      };
      endpoints.push(ep);
      if (ep.hostname) queries.hostnames.push(`${ep.hostname}.${fqdn}`);
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(podName, ns, { labels }),
        spec: {
          ...(ep.hostname ? { hostname: ep.hostname, subdomain: name } : {}),
          nodeName: node,
          containers: [
            {
              name: 'app',
              image: `registry.example.com/${name}:1.0`,
              ports: ports.map((p) => ({ containerPort: p.targetPort, protocol: p.protocol })),
            },
          ],
        },
        status: {
          phase: 'Running',
          podIP: ep.v4,
          podIPs: dual ? [{ ip: ep.v4 }, { ip: ep.v6 }] : [{ ip: ep.v4 }],
          hostIP: `192.0.2.${(n % nodeCount) % 250}`,
        },
      });
    }
    for (const family of families) {
      slices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: meta(`${name}-${alnum(5)}`, ns, {
          labels: {
            'kubernetes.io/service-name': name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          },
        }),
        addressType: family,
        endpoints: endpoints.map((ep) => ({
          addresses: [family === 'IPv4' ? ep.v4 : ep.v6],
          conditions: { ready: true, serving: true, terminating: false },
          ...(ep.hostname ? { hostname: ep.hostname } : {}),
          nodeName: ep.node,
          targetRef: { kind: 'Pod', name: ep.pod, namespace: ns, uid: uid() },
        })),
        ports: ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
      });
    }
  }
  for (let k = 0; k < Math.min(1000, services); k++)
    queries.nxdomain.push(`missing-${k}.${namespaces[k % namespaceCount]}.svc.${zone}`);
  items.push(...slices, ...pods);
  return {
    list: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items },
    queries,
  };
}

/** 1-3 distinct named ports; a UDP `dns` port now and then. */
function pickPorts(int: (min: number, max: number) => number) {
  const picked = new Set<number>();
  const want = int(1, 3);
  while (picked.size < want) picked.add(int(0, portChoices.length - 1));
  return [...picked].sort((x, y) => x - y).map((p) => portChoices[p]!);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      services: { type: 'string' },
      namespaces: { type: 'string' },
      seed: { type: 'string' },
      zone: { type: 'string' },
      pretty: { type: 'boolean' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const { list } = generateCluster({
    services: num(values.services),
    namespaces: num(values.namespaces),
    seed: num(values.seed),
    zone: values.zone,
  });
  process.stdout.write(`${JSON.stringify(list, null, values.pretty ? 2 : undefined)}\n`);
}
