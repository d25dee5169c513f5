import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { build, service, slice } from '../../test/support/builder-objects.ts';
import type { Service } from '../kube/objects.ts';
import type { BuildOptions } from './options.ts';

/** A ClusterIP Service with one ready endpoint, its labels and exposure annotation. */
function exposed(name: string, labels?: Record<string, string>, expose?: string): Service {
  const s = service('shop', name, {
    clusterIP: '10.0.0.1',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });
  if (labels) s.metadata.labels = labels;
  if (expose) s.metadata.annotations = { 'edge-dns.io/expose': expose };
  return s;
}

const services = [
  exposed('web', { tier: 'public' }, 'true'),
  exposed('api', { tier: 'public' }),
  exposed('db', { tier: 'internal' }, 'false'),
];
const slices = ['web', 'api', 'db'].map((n) =>
  slice(
    'shop',
    n,
    'IPv4',
    [{ addresses: ['10.1.0.9'] }],
    [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ),
);

/** The Services whose A record a build holds. */
const named = (o: Partial<BuildOptions>) =>
  build({ services, endpointSlices: slices }, o)
    .map((l) => /^([a-z]+)\.shop\.svc\.cluster\.local\. 5 IN A 10\.0\.0\.1$/.exec(l)?.[1])
    .filter((n) => n !== undefined);

test('selections: annotation opt-in and opt-out, CoreDNS labels, and both', () => {
  const cases: [Partial<BuildOptions>, string[]][] = [
    [{}, ['api', 'db', 'web']],
    [{ expose: 'opt-in' }, ['web']],
    [{ expose: 'opt-out' }, ['api', 'web']],
    [{ labels: 'tier=public' }, ['api', 'web']],
    [{ labels: 'tier notin (public)' }, ['db']],
    [{ labels: 'tier=public', expose: 'opt-in' }, ['web']],
  ];
  for (const [options, want] of cases)
    assert.deepEqual(named(options).sort(), want, JSON.stringify(options));
});

test('a Service not chosen leaves no name, no SRV, no endpoint and no PTR', () => {
  const lines = build(
    { services, endpointSlices: slices },
    {
      expose: 'opt-in',
      zones: ['cluster.local', 'in-addr.arpa'],
    },
  );
  for (const hidden of ['api', 'db'])
    assert.deepEqual(
      lines.filter((l) => l.includes(`${hidden}.shop.svc`)),
      [],
      `${hidden} is not published`,
    );
  assert.ok(lines.some((l) => l.startsWith('_http._tcp.web.shop.svc.cluster.local.')));
});

test('property: with opt-in, only Services annotated "true" reach the build', () => {
  const serviceArb = fc.record({
    name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    ns: fc.constantFrom('x', 'y'),
    headless: fc.boolean(),
    expose: fc.constantFrom(undefined, 'true', 'false', 'yes', ''),
    tier: fc.constantFrom(undefined, 'public', 'internal'),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(serviceArb, { selector: (s) => `${s.ns}/${s.name}`, maxLength: 8 }),
      fc.constantFrom(undefined, 'tier=public', '!tier'),
      (specs, labels) => {
        const svcs = specs.map((s) => {
          const x = service(s.ns, s.name, {
            clusterIP: s.headless ? 'None' : '10.0.0.7',
            ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
          });
          if (s.tier) x.metadata.labels = { tier: s.tier };
          if (s.expose !== undefined) x.metadata.annotations = { 'edge-dns.io/expose': s.expose };
          return x;
        });
        const sl = specs.map((s) =>
          slice(
            s.ns,
            s.name,
            'IPv4',
            [{ addresses: ['10.2.0.1'], hostname: 'h' }],
            [{ name: 'dns', port: 53, protocol: 'UDP' }],
          ),
        );
        const lines = build(
          { services: svcs, endpointSlices: sl },
          { expose: 'opt-in', labels, zones: ['cluster.local', 'in-addr.arpa'] },
        );
        for (const s of specs) {
          const chosen =
            s.expose === 'true' &&
            (labels === undefined ||
              (labels === 'tier=public' ? s.tier === 'public' : s.tier === undefined));
          const seen = lines.some((l) => l.includes(`${s.name}.${s.ns}.svc.cluster.local.`));
          assert.equal(
            seen,
            chosen,
            `${s.ns}/${s.name} (${s.expose}, ${s.tier}): ${lines.join('\n')}`,
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});
