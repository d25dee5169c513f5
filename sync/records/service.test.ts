// ClusterIP and ExternalName services (CoreDNS kubernetes.go findServices; spec 2.3, 2.5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  build,
  namespace,
  service,
  slice,
  sorted,
  type BuildCase,
} from '../../test/support/builder-objects.ts';

const ns = [namespace('default'), namespace('kube-system')];
const nsLines = [
  'default.svc.cluster.local. ; empty non-terminal',
  'kube-system.svc.cluster.local. ; empty non-terminal',
];

const cases: BuildCase[] = [
  {
    name: 'ClusterIP: A at the name, SRV at the name (all ports) and at _<port>._<proto> with A there too',
    parts: {
      services: [
        service('kube-system', 'kube-dns', {
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, protocol: 'TCP' },
            { name: 'metrics', port: 9153, protocol: 'TCP' },
          ],
        }),
      ],
    },
    want: [
      'kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10',
      'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.',
      'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.',
      '_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10',
      '_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.',
      '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10',
      '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.',
      '_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10',
      '_metrics._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 9153 kube-dns.kube-system.svc.cluster.local.',
    ],
  },
  {
    name: 'dual-stack: A and AAAA; each cluster IP counts in the SRV weight, duplicates folded',
    parts: {
      services: [
        service('default', 'web', {
          clusterIP: '10.96.0.20',
          clusterIPs: ['10.96.0.20', 'fd00::20'],
          ipFamilies: ['IPv4', 'IPv6'],
          ports: [{ name: 'HTTP', port: 80, protocol: 'TCP' }],
        }),
      ],
    },
    want: [
      'web.default.svc.cluster.local. 5 IN A 10.96.0.20',
      'web.default.svc.cluster.local. 5 IN AAAA fd00::20',
      'web.default.svc.cluster.local. 5 IN SRV 0 50 80 web.default.svc.cluster.local.',
      '_http._tcp.web.default.svc.cluster.local. 5 IN A 10.96.0.20',
      '_http._tcp.web.default.svc.cluster.local. 5 IN AAAA fd00::20',
      '_http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 50 80 web.default.svc.cluster.local.',
    ],
  },
  {
    name: 'unnamed port: SRV at the name only; no ports: no SRV at all',
    parts: {
      services: [
        service('default', 'one', {
          clusterIP: '10.96.0.30',
          ports: [{ port: 8080, protocol: 'TCP' }],
        }),
        service('default', 'none', { clusterIP: '10.96.0.31' }),
      ],
    },
    want: [
      'none.default.svc.cluster.local. 5 IN A 10.96.0.31',
      'one.default.svc.cluster.local. 5 IN A 10.96.0.30',
      'one.default.svc.cluster.local. 5 IN SRV 0 100 8080 one.default.svc.cluster.local.',
    ],
  },
  {
    name: 'ClusterIP endpoints get names too (findServices r.endpoint branch), ready ones only',
    parts: {
      services: [
        service('default', 'api', {
          clusterIP: '10.96.0.40',
          ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
        }),
      ],
      endpointSlices: [
        slice(
          'default',
          'api',
          'IPv4',
          [
            {
              addresses: ['10.1.0.5'],
              conditions: { ready: true },
              targetRef: { kind: 'Pod', name: 'api-7d9f-x2' },
            },
            { addresses: ['10.1.0.6'], conditions: { ready: false } },
          ],
          [{ name: 'http', port: 8080, protocol: 'TCP' }],
        ),
      ],
    },
    want: [
      'api.default.svc.cluster.local. 5 IN A 10.96.0.40',
      'api.default.svc.cluster.local. 5 IN SRV 0 100 80 api.default.svc.cluster.local.',
      '_http._tcp.api.default.svc.cluster.local. 5 IN A 10.96.0.40',
      '_http._tcp.api.default.svc.cluster.local. 5 IN SRV 0 100 80 api.default.svc.cluster.local.',
      '10-1-0-5.api.default.svc.cluster.local. 5 IN A 10.1.0.5',
      '10-1-0-5.api.default.svc.cluster.local. 5 IN SRV 0 100 8080 10-1-0-5.api.default.svc.cluster.local.',
    ],
  },
  {
    name: 'ExternalName: CNAME at the name only, even with slices; an IP externalName gives nothing',
    parts: {
      services: [
        service('default', 'ext', {
          type: 'ExternalName',
          externalName: 'Db.Example.COM.',
          ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
        }),
        service('default', 'byip', { type: 'ExternalName', externalName: '192.0.2.1' }),
        service('default', 'byip6', { type: 'ExternalName', externalName: '2001:db8::1' }),
      ],
      endpointSlices: [slice('default', 'ext', 'IPv4', [{ addresses: ['10.1.0.9'] }])],
    },
    want: ['ext.default.svc.cluster.local. 5 IN CNAME db.example.com.'],
  },
  {
    name: 'ttl option applies to every service record',
    parts: {
      services: [
        service('default', 'a', {
          clusterIP: '10.96.0.50',
          ports: [{ name: 'p', port: 1, protocol: 'SCTP' }],
        }),
      ],
    },
    options: { ttl: 30 },
    want: [
      'a.default.svc.cluster.local. 30 IN A 10.96.0.50',
      'a.default.svc.cluster.local. 30 IN SRV 0 100 1 a.default.svc.cluster.local.',
      '_p._sctp.a.default.svc.cluster.local. 30 IN A 10.96.0.50',
      '_p._sctp.a.default.svc.cluster.local. 30 IN SRV 0 100 1 a.default.svc.cluster.local.',
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(
      build({ namespaces: ns, ...c.parts }, c.options),
      sorted([...nsLines, ...c.want]),
    );
  });
}

test('ignore empty_service: a ClusterIP service without a ready address is absent (NXDOMAIN)', () => {
  const parts = {
    namespaces: ns,
    services: [
      service('default', 'empty', {
        clusterIP: '10.96.0.60',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
      service('default', 'full', { clusterIP: '10.96.0.61' }),
      service('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
    ],
    endpointSlices: [
      slice('default', 'empty', 'IPv4', [
        { addresses: ['10.1.0.7'], conditions: { ready: false } },
      ]),
      slice('default', 'full', 'IPv4', [{ addresses: ['10.1.0.8'] }]),
    ],
  };
  const want = [
    ...nsLines,
    'ext.default.svc.cluster.local. 5 IN CNAME example.com.',
    'full.default.svc.cluster.local. 5 IN A 10.96.0.61',
    '10-1-0-8.full.default.svc.cluster.local. 5 IN A 10.1.0.8',
  ];
  assert.deepEqual(build(parts, { ignoreEmptyService: true }), sorted(want));
  // Without the option the empty service answers as usual.
  assert.ok(build(parts).includes('empty.default.svc.cluster.local. 5 IN A 10.96.0.60'));
});
