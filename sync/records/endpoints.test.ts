// Headless services and endpoint names (CoreDNS object/endpoint.go, kubernetes.go
// endpointHostname and findServices; spec 2.4).
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

const ns = [namespace('db')];
const nsLine = 'db.svc.cluster.local. ; empty non-terminal';
const headless = (name: string, extra: Record<string, unknown> = {}) =>
  service('db', name, {
    clusterIP: 'None',
    clusterIPs: ['None'],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    ...extra,
  });
const pgPort = [{ name: 'pg', port: 5432, protocol: 'TCP' }];
const longName = 'p'.repeat(64);

/** One ready endpoint (serving false, as the controller writes it for publishNotReadyAddresses) and one not. */
const oneReadyOneNot = [
  slice('db', 'pg', 'IPv4', [
    { addresses: ['10.1.0.1'], conditions: { ready: true, serving: false } },
    { addresses: ['10.1.0.2'], conditions: { ready: false } },
  ]),
];

const cases: BuildCase[] = [
  {
    name: 'ready endpoints (ready nil = ready): A at the name, SRV per endpoint x port, _port._proto, endpoint names',
    parts: {
      services: [headless('pg')],
      endpointSlices: [
        slice(
          'db',
          'pg',
          'IPv4',
          [
            { addresses: ['10.1.0.1'], conditions: { ready: true }, hostname: 'pg-0' },
            { addresses: ['10.1.0.2'] },
            {
              addresses: ['10.1.0.3'],
              conditions: { ready: false, serving: true, terminating: true },
            },
          ],
          pgPort,
        ),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 10-1-0-2.pg.db.svc.cluster.local.',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 pg-0.pg.db.svc.cluster.local.',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 10-1-0-2.pg.db.svc.cluster.local.',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 pg-0.pg.db.svc.cluster.local.',
      'pg-0.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg-0.pg.db.svc.cluster.local. 5 IN SRV 0 100 5432 pg-0.pg.db.svc.cluster.local.',
      '10-1-0-2.pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      '10-1-0-2.pg.db.svc.cluster.local. 5 IN SRV 0 100 5432 10-1-0-2.pg.db.svc.cluster.local.',
    ],
  },
  {
    name: 'no ready endpoint: the headless service is absent (NXDOMAIN, spec 2.4.1)',
    parts: {
      services: [headless('pg'), headless('noslice')],
      endpointSlices: [
        slice(
          'db',
          'pg',
          'IPv4',
          [{ addresses: ['10.1.0.3'], conditions: { ready: false } }],
          pgPort,
        ),
      ],
    },
    want: [],
  },
  {
    name: 'IPv6 slice: dashed hostname with ":" -> "-"; a slice without ports gives no SRV anywhere',
    parts: {
      services: [headless('v6', { ports: [] })],
      endpointSlices: [slice('db', 'v6', 'IPv6', [{ addresses: ['fd00::5'] }], null)],
    },
    want: [
      'v6.db.svc.cluster.local. 5 IN AAAA fd00::5',
      'fd00--5.v6.db.svc.cluster.local. 5 IN AAAA fd00::5',
    ],
  },
  {
    name: 'IPv6 zero runs: a trailing run gets a 0 after its dash (fd00--0), a leading one stays (--1)',
    parts: {
      services: [headless('v6', { ports: [] })],
      endpointSlices: [
        slice('db', 'v6', 'IPv6', [{ addresses: ['fd00::'] }, { addresses: ['::1'] }], null),
      ],
    },
    want: [
      'v6.db.svc.cluster.local. 5 IN AAAA ::1',
      'v6.db.svc.cluster.local. 5 IN AAAA fd00::',
      '--1.v6.db.svc.cluster.local. 5 IN AAAA ::1',
      'fd00--0.v6.db.svc.cluster.local. 5 IN AAAA fd00::',
    ],
  },
  {
    name: 'dual-stack endpoint with one hostname: A and AAAA at one name, both counted in weights',
    parts: {
      services: [headless('pg')],
      endpointSlices: [
        slice('db', 'pg', 'IPv4', [{ addresses: ['10.1.0.1'], hostname: 'pg-0' }], pgPort),
        slice('db', 'pg', 'IPv6', [{ addresses: ['fd00::1'], hostname: 'pg-0' }], pgPort),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN AAAA fd00::1',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 pg-0.pg.db.svc.cluster.local.',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN AAAA fd00::1',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 pg-0.pg.db.svc.cluster.local.',
      'pg-0.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg-0.pg.db.svc.cluster.local. 5 IN AAAA fd00::1',
      'pg-0.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 pg-0.pg.db.svc.cluster.local.',
    ],
  },
  {
    name: 'endpoint_pod_names: hostname first, then targetRef name (< 64 chars), then the dashed IP',
    options: { endpointPodNames: true },
    parts: {
      services: [headless('pg', { ports: [] })],
      endpointSlices: [
        slice('db', 'pg', 'IPv4', [
          {
            addresses: ['10.1.0.1'],
            hostname: 'primary',
            targetRef: { kind: 'Pod', name: 'pg-abc' },
          },
          { addresses: ['10.1.0.2'], targetRef: { kind: 'Pod', name: 'pg-def' } },
          { addresses: ['10.1.0.3'], targetRef: { kind: 'Pod', name: longName } },
        ]),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.3',
      'primary.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg-def.pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      '10-1-0-3.pg.db.svc.cluster.local. 5 IN A 10.1.0.3',
    ],
  },
  {
    name: 'a dotted pod name is an SRV target but no name of its own (parseRequest cannot reach it)',
    options: { endpointPodNames: true },
    parts: {
      services: [headless('pg')],
      endpointSlices: [
        slice(
          'db',
          'pg',
          'IPv4',
          [{ addresses: ['10.1.0.1'], targetRef: { kind: 'Pod', name: 'web.0' } }],
          pgPort,
        ),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN SRV 0 100 5432 web.0.pg.db.svc.cluster.local.',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 100 5432 web.0.pg.db.svc.cluster.local.',
    ],
  },
  {
    name: 'slices join by label; FQDN, unlabelled and foreign slices are ignored; one IP twice counts twice',
    parts: {
      services: [headless('pg', { ports: [] })],
      endpointSlices: [
        slice('db', 'pg', 'IPv4', [{ addresses: ['10.1.0.1'] }], pgPort, 'pg-a'),
        slice('db', 'pg', 'IPv4', [{ addresses: ['10.1.0.1'] }], pgPort, 'pg-b'),
        slice('db', 'pg', 'FQDN', [{ addresses: ['db.example.com'] }], pgPort),
        slice('db', undefined, 'IPv4', [{ addresses: ['10.1.0.8'] }], pgPort),
        slice('db', 'other', 'IPv4', [{ addresses: ['10.1.0.9'] }], pgPort),
        slice('elsewhere', 'pg', 'IPv4', [{ addresses: ['10.1.0.10'] }], pgPort),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 10-1-0-1.pg.db.svc.cluster.local.',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '_pg._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 10-1-0-1.pg.db.svc.cluster.local.',
      '10-1-0-1.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '10-1-0-1.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 10-1-0-1.pg.db.svc.cluster.local.',
    ],
  },
  {
    name: 'headless names and SRV come from slice ports, not service ports; unnamed slice ports only at the name',
    parts: {
      services: [headless('pg')],
      endpointSlices: [
        slice(
          'db',
          'pg',
          'IPv4',
          [{ addresses: ['10.1.0.1'], hostname: 'a' }],
          [
            { name: 'Metrics', port: 9187, protocol: 'TCP' },
            { port: 5432, protocol: 'TCP' },
          ],
        ),
      ],
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 a.pg.db.svc.cluster.local.',
      'pg.db.svc.cluster.local. 5 IN SRV 0 50 9187 a.pg.db.svc.cluster.local.',
      '_metrics._tcp.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '_metrics._tcp.pg.db.svc.cluster.local. 5 IN SRV 0 100 9187 a.pg.db.svc.cluster.local.',
      'a.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'a.pg.db.svc.cluster.local. 5 IN SRV 0 50 5432 a.pg.db.svc.cluster.local.',
      'a.pg.db.svc.cluster.local. 5 IN SRV 0 50 9187 a.pg.db.svc.cluster.local.',
    ],
  },
  {
    name: 'publishNotReadyAddresses: every endpoint, ready or not (core/v1 ServiceSpec)',
    parts: {
      services: [headless('pg', { publishNotReadyAddresses: true, ports: [] })],
      endpointSlices: oneReadyOneNot,
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
      '10-1-0-1.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '10-1-0-2.pg.db.svc.cluster.local. 5 IN A 10.1.0.2',
    ],
  },
  {
    name: 'without publishNotReadyAddresses a not-ready endpoint stays out',
    parts: {
      services: [headless('pg', { ports: [] })],
      endpointSlices: oneReadyOneNot,
    },
    want: [
      'pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
      '10-1-0-1.pg.db.svc.cluster.local. 5 IN A 10.1.0.1',
    ],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(build({ namespaces: ns, ...c.parts }, c.options), sorted([nsLine, ...c.want]));
  });
}
