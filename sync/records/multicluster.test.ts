// ServiceImports in a multicluster zone (multicluster.ts), as CoreDNS kubernetes.go
// findMultiClusterServices and parse.go answer them; the whole CoreDNS table runs in
// test/multicluster.test.ts. These are the edges that table does not reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, namespace, sorted } from '../../test/support/builder-objects.ts';
import {
  endpointSliceSchema,
  multiclusterServiceLabel,
  serviceImportSchema,
  sourceClusterLabel,
  type EndpointSlice,
  type ServiceImport,
} from '../kube/objects.ts';
import { service } from '../../test/support/builder-objects.ts';
import { defaultBuildOptions, validateBuildOptions, type BuildOptions } from './options.ts';

const zones = ['cluster.local', 'clusterset.local'];
const mc: Partial<BuildOptions> = { zones, multicluster: ['clusterset.local'] };
const http = [{ name: 'http', port: 80, protocol: 'TCP' }];

function imp(name: string, spec: object, annotations?: Record<string, string>): ServiceImport {
  return serviceImportSchema.parse({ metadata: { name, namespace: 'ns', annotations }, spec });
}

function mcSlice(
  svc: string,
  cluster: string | undefined,
  endpoints: { ip: string; host?: string; ready?: boolean }[],
  extraLabels: Record<string, string> = {},
): EndpointSlice {
  return endpointSliceSchema.parse({
    metadata: {
      name: `${svc}-${cluster ?? 'none'}-${endpoints[0]?.ip ?? 'empty'}`,
      namespace: 'ns',
      labels: {
        [multiclusterServiceLabel]: svc,
        ...(cluster && { [sourceClusterLabel]: cluster }),
        ...extraLabels,
      },
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      hostname: e.host,
      conditions: { ready: e.ready ?? true },
    })),
    ports: http,
  });
}

/** Lines under clusterset.local without the zone-wide ones every build has. */
const clusterset = (
  serviceImports: ServiceImport[],
  endpointSlices: EndpointSlice[],
  o: Partial<BuildOptions> = {},
) =>
  build({ namespaces: [namespace('ns')], serviceImports, endpointSlices }, { ...mc, ...o }).filter(
    (l) =>
      /^\S*clusterset\.local\. /.test(l) &&
      !/^(dns-version|svc|pod|ns\.svc)\.clusterset\.local\. /.test(l),
  );

test('a ClusterSetIP import without ports: no service name, its endpoints still named', () => {
  const lines = clusterset(
    [imp('web', { type: 'ClusterSetIP', ips: ['10.9.0.1'] })],
    [mcSlice('web', 'east', [{ ip: '10.1.0.1', host: 'web-0' }])],
  );
  assert.deepEqual(lines, [
    'web-0.east.web.ns.svc.clusterset.local. 5 IN A 10.1.0.1',
    'web-0.east.web.ns.svc.clusterset.local. 5 IN SRV 0 100 80 web-0.east.web.ns.svc.clusterset.local.',
  ]);
});

test('headless across clusters: every ready endpoint, SRV targets under each cluster id', () => {
  const lines = clusterset(
    [imp('db', { type: 'Headless' })],
    [
      mcSlice('db', 'east', [{ ip: '10.1.0.1', host: 'db-0' }]),
      mcSlice('db', 'west', [
        { ip: '10.2.0.1', host: 'db-0' },
        { ip: '10.2.0.2', ready: false },
      ]),
      // No source-cluster label: CoreDNS's cluster id is "", reached by `<host>.<svc>...`.
      mcSlice('db', undefined, [{ ip: '10.3.0.1', host: 'db-9' }]),
      // A cluster id parse.go cannot reach as one label: its endpoint names are not built.
      mcSlice('db', 'a.b', [{ ip: '10.4.0.1', host: 'db-1' }]),
    ],
  );
  const base = 'db.ns.svc.clusterset.local.';
  const srv = (t: string) => `0 25 80 ${t}.${base}`;
  assert.deepEqual(
    lines,
    sorted([
      ...['10.1.0.1', '10.2.0.1', '10.3.0.1', '10.4.0.1'].flatMap((ip) => [
        `_http._tcp.${base} 5 IN A ${ip}`,
        `${base} 5 IN A ${ip}`,
      ]),
      ...['db-0.east', 'db-0.west', 'db-9', 'db-1.a.b'].flatMap((t) => [
        `_http._tcp.${base} 5 IN SRV ${srv(t)}`,
        `${base} 5 IN SRV ${srv(t)}`,
      ]),
      `db-0.east.${base} 5 IN A 10.1.0.1`,
      `db-0.east.${base} 5 IN SRV 0 100 80 db-0.east.${base}`,
      `db-0.west.${base} 5 IN A 10.2.0.1`,
      `db-0.west.${base} 5 IN SRV 0 100 80 db-0.west.${base}`,
      `db-9.${base} 5 IN A 10.3.0.1`,
      `db-9.${base} 5 IN SRV 0 100 80 db-9.${base}`,
    ]),
  );
});

test('ignore empty_service drops a ClusterSetIP import without ready endpoints, not a headless one', () => {
  const imports = [
    imp('web', { type: 'ClusterSetIP', ips: ['10.9.0.1'], ports: http }),
    imp('db', { type: 'Headless' }),
  ];
  const slices = [
    mcSlice('web', 'east', [{ ip: '10.1.0.1', ready: false }]),
    mcSlice('db', 'east', [{ ip: '10.1.0.2' }]),
  ];
  const names = (o: Partial<BuildOptions>) => [
    ...new Set(clusterset(imports, slices, o).map((l) => l.split(' ')[0])),
  ];
  assert.deepEqual(names({ ignoreEmptyService: true }), [
    '10-1-0-2.east.db.ns.svc.clusterset.local.',
    '_http._tcp.db.ns.svc.clusterset.local.',
    'db.ns.svc.clusterset.local.',
  ]);
  assert.ok(names({}).includes('web.ns.svc.clusterset.local.'));
});

test('the multicluster zone answers imports only; the cluster zone Services only', () => {
  const lines = build(
    {
      namespaces: [namespace('ns')],
      services: [service('ns', 'local', { clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] })],
      serviceImports: [imp('web', { ips: ['10.9.0.1'], ports: http })],
    },
    mc,
  ).filter((l) => / IN A /.test(l));
  assert.deepEqual(lines, [
    '_http._tcp.web.ns.svc.clusterset.local. 5 IN A 10.9.0.1',
    'local.ns.svc.cluster.local. 5 IN A 10.96.0.5',
    'web.ns.svc.clusterset.local. 5 IN A 10.9.0.1',
  ]);
});

test('the selections: `expose` reads the import annotation, `labels` the slices', () => {
  const imports = [
    imp('web', { type: 'Headless' }, { 'edge-dns.io/expose': 'true' }),
    imp('api', { type: 'Headless' }),
  ];
  const slices = [
    mcSlice('web', 'east', [{ ip: '10.1.0.1' }], { tier: 'public' }),
    mcSlice('web', 'west', [{ ip: '10.2.0.1' }]),
    mcSlice('api', 'east', [{ ip: '10.1.0.9' }], { tier: 'public' }),
  ];
  const a = (o: Partial<BuildOptions>) =>
    clusterset(imports, slices, o).filter((l) =>
      /^\w+\.ns\.svc\.clusterset\.local\. 5 IN A /.test(l),
    );
  assert.deepEqual(a({ expose: 'opt-in' }), [
    'web.ns.svc.clusterset.local. 5 IN A 10.1.0.1',
    'web.ns.svc.clusterset.local. 5 IN A 10.2.0.1',
  ]);
  assert.deepEqual(a({ labels: 'tier=public' }), [
    'api.ns.svc.clusterset.local. 5 IN A 10.1.0.9',
    'web.ns.svc.clusterset.local. 5 IN A 10.1.0.1',
  ]);
});

test('a multicluster zone must be a forward zone served', () => {
  const problems = (multicluster: string[]) =>
    validateBuildOptions({
      ...defaultBuildOptions,
      zones: [...zones, 'in-addr.arpa'],
      multicluster,
    });
  assert.deepEqual(problems(['clusterset.local']), []);
  assert.deepEqual(problems(['other.local']), [
    'multicluster zone other.local must be one of the forward zones served',
  ]);
  assert.deepEqual(problems(['in-addr.arpa']), [
    'multicluster zone in-addr.arpa must be one of the forward zones served',
  ]);
});
