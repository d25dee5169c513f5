// External names (external.ts) as CoreDNS's k8s_external answers them (plugin/kubernetes/external.go,
// object/service.go ToService, plugin/k8s_external/msg_to_dns.go srv weights).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, namespace } from '../../test/support/builder-objects.ts';
import { serviceSchema, type Service, type ServiceInput } from '../kube/objects.ts';
import type { BuildOptions } from './options.ts';

const external: BuildOptions['external'] = { zones: ['example.com'], ttl: 5, apex: 'dns' };
const http = [{ name: 'http', port: 80, protocol: 'TCP' }];

function svc(name: string, spec: ServiceInput['spec'], status?: ServiceInput['status']): Service {
  return serviceSchema.parse({ metadata: { name, namespace: 'testns' }, spec, status });
}

/** Lines of the external zone only. */
const ext = (services: Service[], o: Partial<BuildOptions> = {}) =>
  build({ namespaces: [namespace('testns')], services }, { external, ...o }).filter((l) =>
    /^\S*example\.com\. /.test(l),
  );

const apex = ['dns.example.com. ; empty non-terminal', 'ns1.dns.example.com. ; empty non-terminal'];
const ns = 'testns.example.com. ; empty non-terminal';

test('what each kind of Service gives under the external zone', () => {
  const cases: [string, Service, string[]][] = [
    ['ClusterIP only: nothing', svc('internal', { clusterIP: '10.0.0.9', ports: http }), []],
    [
      'spec.externalIPs: A at the name and the named port, SRV targeting the name',
      svc('svc1', { clusterIP: '10.0.0.1', externalIPs: ['1.2.3.4'], ports: http }),
      [
        '_http._tcp.svc1.testns.example.com. 5 IN A 1.2.3.4',
        '_http._tcp.svc1.testns.example.com. 5 IN SRV 0 100 80 svc1.testns.example.com.',
        'svc1.testns.example.com. 5 IN A 1.2.3.4',
        'svc1.testns.example.com. 5 IN SRV 0 100 80 svc1.testns.example.com.',
      ],
    ],
    [
      'LoadBalancer ingress IPv6 address: AAAA',
      svc(
        'svc6',
        { type: 'LoadBalancer', clusterIP: '10.0.0.3', ports: http },
        { loadBalancer: { ingress: [{ ip: '1:2::5' }] } },
      ),
      [
        '_http._tcp.svc6.testns.example.com. 5 IN AAAA 1:2::5',
        '_http._tcp.svc6.testns.example.com. 5 IN SRV 0 100 80 svc6.testns.example.com.',
        'svc6.testns.example.com. 5 IN AAAA 1:2::5',
        'svc6.testns.example.com. 5 IN SRV 0 100 80 svc6.testns.example.com.',
      ],
    ],
    [
      'LoadBalancer ingress hostname: CNAME, SRV targeting the hostname',
      svc(
        'svc12',
        { type: 'LoadBalancer', clusterIP: '10.0.0.5', ports: http },
        { loadBalancer: { ingress: [{ hostname: 'LB.Example.NET.' }] } },
      ),
      [
        '_http._tcp.svc12.testns.example.com. 5 IN CNAME lb.example.net.',
        '_http._tcp.svc12.testns.example.com. 5 IN SRV 0 100 80 lb.example.net.',
        'svc12.testns.example.com. 5 IN CNAME lb.example.net.',
        'svc12.testns.example.com. 5 IN SRV 0 100 80 lb.example.net.',
      ],
    ],
    [
      'addresses and a hostname: the addresses only (RFC 2181 §10.1); weights over both IPs',
      svc(
        'mixed',
        {
          type: 'LoadBalancer',
          clusterIP: '10.0.0.6',
          externalIPs: ['192.0.2.1'],
          ports: [
            { name: 'http', port: 80, protocol: 'TCP' },
            { port: 8080, protocol: 'TCP' },
          ],
        },
        { loadBalancer: { ingress: [{ hostname: 'lb.example.net' }, { ip: '192.0.2.2' }] } },
      ),
      [
        '_http._tcp.mixed.testns.example.com. 5 IN A 192.0.2.1',
        '_http._tcp.mixed.testns.example.com. 5 IN A 192.0.2.2',
        '_http._tcp.mixed.testns.example.com. 5 IN SRV 0 50 80 mixed.testns.example.com.',
        'mixed.testns.example.com. 5 IN A 192.0.2.1',
        'mixed.testns.example.com. 5 IN A 192.0.2.2',
        'mixed.testns.example.com. 5 IN SRV 0 25 80 mixed.testns.example.com.',
        'mixed.testns.example.com. 5 IN SRV 0 25 8080 mixed.testns.example.com.',
      ],
    ],
    [
      'no ports: addresses, no SRV (CoreDNS sentinel port -1)',
      svc('bare', { clusterIP: '10.0.0.7', externalIPs: ['192.0.2.9'] }),
      ['bare.testns.example.com. 5 IN A 192.0.2.9'],
    ],
    [
      'LoadBalancer still pending (no ingress): nothing',
      svc('pending', { type: 'LoadBalancer', clusterIP: '10.0.0.8', ports: http }, {}),
      [],
    ],
  ];
  for (const [title, service, want] of cases)
    assert.deepEqual(ext([service]), [...apex, ...want, ns].sort(), title);
});

test('the selection applies: a Service not chosen has no external name', () => {
  const lb = svc('web', { clusterIP: '10.0.0.1', externalIPs: ['1.2.3.4'], ports: http });
  assert.deepEqual(ext([lb], { expose: 'opt-in' }), [...apex, ns].sort());
  assert.deepEqual(ext([lb], { namespaces: ['other'] }), apex);
  lb.metadata.annotations = { 'edge-dns.io/expose': 'true' };
  assert.ok(ext([lb], { expose: 'opt-in' }).includes('web.testns.example.com. 5 IN A 1.2.3.4'));
});

test('ttl and apex options; a namespace named as the apex label is shadowed by it', () => {
  const lb = (n: string) =>
    serviceSchema.parse({
      metadata: { name: 'web', namespace: n },
      spec: { clusterIP: '10.0.0.1', externalIPs: ['1.2.3.4'] },
    });
  const lines = build(
    { services: [lb('ops'), lb('dns')] },
    { external: { zones: ['example.com'], ttl: 60, apex: 'ops' } },
  ).filter((l) => l.includes('example.com.'));
  assert.deepEqual(lines, [
    'dns.example.com. ; empty non-terminal',
    'ns1.ops.example.com. ; empty non-terminal',
    'ops.example.com. ; empty non-terminal',
    'web.dns.example.com. 60 IN A 1.2.3.4',
  ]);
});

test('without external zones nothing changes', () => {
  const lb = svc('svc1', { clusterIP: '10.0.0.1', externalIPs: ['1.2.3.4'], ports: http });
  assert.deepEqual(
    build({ services: [lb] }, {}).filter((l) => l.includes('example.com')),
    [],
  );
});
