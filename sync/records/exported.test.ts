// The export zone (exported.ts): only Services with a ServiceExport, as this cluster's import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, namespace, service, slice, sorted } from '../../test/support/builder-objects.ts';
import { serviceExportSchema, type ServiceExport } from '../kube/objects.ts';
import { validateBuildOptions, defaultBuildOptions } from './options.ts';

const exp = (name: string, ns = 'shop'): ServiceExport =>
  serviceExportSchema.parse({ metadata: { name, namespace: ns } });
const http = [{ name: 'http', port: 80, protocol: 'TCP' }];
const options = { export: { zone: 'clusterset.local', cluster: 'east' } };

/** The lines under clusterset.local. */
const exported = (parts: Parameters<typeof build>[0]) =>
  build({ namespaces: [namespace('shop')], ...parts }, options).filter((l) =>
    /^\S*clusterset\.local\. /.test(l),
  );

test('an exported ClusterIP Service: its addresses and SRV under the export zone', () => {
  const services = [
    service('shop', 'web', { clusterIP: '10.1.0.5', clusterIPs: ['10.1.0.5'], ports: http }),
    service('shop', 'cart', { clusterIP: '10.1.0.9', clusterIPs: ['10.1.0.9'], ports: http }),
  ];
  assert.deepEqual(
    exported({ services, serviceExports: [exp('web')] }),
    sorted([
      'svc.clusterset.local. ; empty non-terminal',
      'shop.svc.clusterset.local. ; empty non-terminal',
      'web.shop.svc.clusterset.local. 5 IN A 10.1.0.5',
      'web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local.',
      '_http._tcp.web.shop.svc.clusterset.local. 5 IN A 10.1.0.5',
      '_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local.',
    ]),
  );
});

test('an exported headless Service: endpoints named under this cluster id', () => {
  const services = [
    service('shop', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: http }),
  ];
  const endpointSlices = [
    slice(
      'shop',
      'db',
      'IPv4',
      [
        { addresses: ['10.1.1.1'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.1.1.2'], conditions: { ready: false } },
      ],
      http,
    ),
  ];
  assert.deepEqual(
    exported({ services, endpointSlices, serviceExports: [exp('db')] }),
    sorted([
      'svc.clusterset.local. ; empty non-terminal',
      'shop.svc.clusterset.local. ; empty non-terminal',
      'db.shop.svc.clusterset.local. 5 IN A 10.1.1.1',
      'db.shop.svc.clusterset.local. 5 IN SRV 0 100 80 db-0.east.db.shop.svc.clusterset.local.',
      '_http._tcp.db.shop.svc.clusterset.local. 5 IN A 10.1.1.1',
      '_http._tcp.db.shop.svc.clusterset.local. 5 IN SRV 0 100 80 db-0.east.db.shop.svc.clusterset.local.',
      'db-0.east.db.shop.svc.clusterset.local. 5 IN A 10.1.1.1',
      'db-0.east.db.shop.svc.clusterset.local. 5 IN SRV 0 100 80 db-0.east.db.shop.svc.clusterset.local.',
    ]),
  );
});

test('nothing under the export zone without an export, for ExternalName, or unselected', () => {
  const web = service('shop', 'web', { clusterIP: '10.1.0.5', clusterIPs: ['10.1.0.5'] });
  const ext = service('shop', 'ext', { type: 'ExternalName', externalName: 'db.example.com' });
  assert.deepEqual(exported({ services: [web, ext], serviceExports: [exp('ext')] }), []);
  // An export without its Service, and one in another namespace, build nothing either.
  assert.deepEqual(
    exported({ services: [web], serviceExports: [exp('gone'), exp('web', 'other')] }),
    [],
  );
  const hidden = build(
    { namespaces: [namespace('shop')], services: [web], serviceExports: [exp('web')] },
    { ...options, namespaces: ['other'] },
  );
  assert.deepEqual(
    hidden.filter((l) => l.includes('clusterset')),
    [],
  );
});

test('the export zone must be its own zone, and the cluster id a label', () => {
  const problems = (zone: string, cluster = 'east') =>
    validateBuildOptions({ ...defaultBuildOptions, export: { zone, cluster } });
  assert.deepEqual(problems('clusterset.local'), []);
  assert.match(
    problems('cluster.local').join(),
    /export zone cluster\.local is also a served zone/,
  );
  assert.match(problems('10.in-addr.arpa').join(), /a reverse zone/);
  assert.match(problems('clusterset.local', 'East_1').join(), /one DNS label/);
});
