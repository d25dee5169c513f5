// Zonal names of headless Services (CoreDNS `kubernetes { zonal }`, plugin/kubernetes README "Zonal
// Names"): the names each topology zone of the endpoints gets, and the carrier the resolver answers
// every other zone from (functions/core/zonal-name.ts). Only the `_zone` names are compared.
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

const ns = [namespace('testns')];
const http = [{ name: 'http', port: 80, protocol: 'TCP' }];
const headless = (name: string) =>
  service('testns', name, { clusterIP: 'None', clusterIPs: ['None'] });
const zonalLines = (lines: string[]) =>
  lines.filter((l) => l.includes('._zone.') || /^_zone\./.test(l));
const H = 'hdls.testns.svc.cluster.local.';

/** CoreDNS zonal_test.go: hdls with 172.0.0.1 in us-west-2a, .2 and .3 in us-west-2b, port http 80. */
const coreDnsSlice = slice(
  'testns',
  'hdls',
  'IPv4',
  [
    { addresses: ['172.0.0.1'], zone: 'us-west-2a' },
    { addresses: ['172.0.0.2'], zone: 'us-west-2b' },
    { addresses: ['172.0.0.3'], zone: 'us-west-2b' },
  ],
  http,
);

const cases: BuildCase[] = [
  {
    name: "CoreDNS's test service: each zone's pin and prefer, and the carrier with every endpoint",
    parts: { services: [headless('hdls')], endpointSlices: [coreDnsSlice] },
    want: [
      `_zone.${H} ; synth zonal`,
      ...['1', '2', '3'].map((i) => `_zone.${H} 5 IN A 172.0.0.${i}`),
      ...['1', '2', '3'].map((i) => `_zone.${H} 5 IN SRV 0 33 80 172-0-0-${i}.${H}`),
      ...['pin', 'prefer'].flatMap((d) => [
        `us-west-2a.${d}._zone.${H} 5 IN A 172.0.0.1`,
        `us-west-2a.${d}._zone.${H} 5 IN SRV 0 100 80 172-0-0-1.${H}`,
        `us-west-2b.${d}._zone.${H} 5 IN A 172.0.0.2`,
        `us-west-2b.${d}._zone.${H} 5 IN A 172.0.0.3`,
        `us-west-2b.${d}._zone.${H} 5 IN SRV 0 50 80 172-0-0-2.${H}`,
        `us-west-2b.${d}._zone.${H} 5 IN SRV 0 50 80 172-0-0-3.${H}`,
      ]),
    ],
  },
  {
    name: 'zone values: lowercased, dotted kept whole, none or an empty label matched by no name',
    parts: {
      services: [headless('hdls')],
      endpointSlices: [
        slice('testns', 'hdls', 'IPv4', [
          { addresses: ['10.0.0.1'], zone: 'Corp.Example.COM' },
          { addresses: ['10.0.0.2'] },
          { addresses: ['10.0.0.3'], zone: 'a..b' },
        ]),
      ],
    },
    want: [
      `_zone.${H} ; synth zonal`,
      ...['1', '2', '3'].map((i) => `_zone.${H} 5 IN A 10.0.0.${i}`),
      `corp.example.com.pin._zone.${H} 5 IN A 10.0.0.1`,
      `corp.example.com.prefer._zone.${H} 5 IN A 10.0.0.1`,
    ],
  },
  {
    name: 'dual-stack slices: A and AAAA of the zone, SRV over both',
    parts: {
      services: [headless('hdls')],
      endpointSlices: [
        slice('testns', 'hdls', 'IPv4', [{ addresses: ['10.0.0.1'], zone: 'z1' }], http),
        slice('testns', 'hdls', 'IPv6', [{ addresses: ['fd00::1'], zone: 'z1' }], http),
      ],
    },
    want: ['_zone', 'z1.pin._zone', 'z1.prefer._zone'].flatMap((n) => [
      ...(n === '_zone' ? [`_zone.${H} ; synth zonal`] : []),
      `${n}.${H} 5 IN A 10.0.0.1`,
      `${n}.${H} 5 IN AAAA fd00::1`,
      `${n}.${H} 5 IN SRV 0 50 80 10-0-0-1.${H}`,
      `${n}.${H} 5 IN SRV 0 50 80 fd00--1.${H}`,
    ]),
  },
  {
    name: 'a headless Service without ready endpoints: an empty carrier (its zonal names are NODATA)',
    parts: {
      services: [headless('hdls')],
      endpointSlices: [
        slice('testns', 'hdls', 'IPv4', [
          { addresses: ['10.0.0.1'], zone: 'z1', conditions: { ready: false } },
        ]),
      ],
    },
    want: [`_zone.${H} ; synth zonal`],
  },
  {
    name: 'ClusterIP and ExternalName Services have no zonal names',
    parts: {
      services: [
        service('testns', 'hdls', {
          clusterIP: '10.0.0.10',
          clusterIPs: ['10.0.0.10'],
          ports: http,
        }),
        service('testns', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
      ],
      endpointSlices: [coreDnsSlice],
    },
    want: [],
  },
  {
    name: 'without the option: nothing',
    parts: { services: [headless('hdls')], endpointSlices: [coreDnsSlice] },
    options: { zonal: false },
    want: [],
  },
];

for (const c of cases) {
  test(`zonal: ${c.name}`, () => {
    const lines = build({ namespaces: ns, ...c.parts }, { zonal: true, ...c.options });
    assert.deepEqual(zonalLines(lines), sorted(c.want));
  });
}

test('zonal: not in multicluster zones (CoreDNS parseRequest rejects the shape there)', () => {
  const lines = build(
    { namespaces: ns, services: [headless('hdls')], endpointSlices: [coreDnsSlice] },
    {
      zones: ['cluster.local', 'clusterset.local'],
      multicluster: ['clusterset.local'],
      zonal: true,
    },
  );
  assert.ok(zonalLines(lines).length > 0);
  assert.deepEqual(
    zonalLines(lines).filter((l) => l.includes('clusterset.local')),
    [],
  );
});
