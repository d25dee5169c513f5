// `pods` modes (CoreDNS kubernetes.go findPods, controller.go podListFunc, object/pod.go ToPod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, namespace, pod, service, sorted } from '../../test/support/builder-objects.ts';

const namespaces = [namespace('apps')];
const pods = [
  pod('apps', 'running', {
    phase: 'Running',
    podIP: '10.2.0.1',
    podIPs: [{ ip: '10.2.0.1' }, { ip: 'fd00::2:1' }],
  }),
  pod('apps', 'pending', { phase: 'Pending', podIP: '10.2.0.2' }),
  pod('apps', 'v6', { phase: 'Running', podIP: 'fd00::2:3' }),
  pod('apps', 'no-ip', { phase: 'Pending' }),
  pod('apps', 'done', { phase: 'Succeeded', podIP: '10.2.0.4' }),
  pod('apps', 'failed', { phase: 'Failed', podIP: '10.2.0.5' }),
  pod('apps', 'unknown', { phase: 'Unknown', podIP: '10.2.0.6' }),
  pod('apps', 'terminating', { phase: 'Running', podIP: '10.2.0.7' }, '2024-01-01T00:00:00Z'),
  pod('apps', 'twin', { phase: 'Running', podIP: '10.2.0.1' }), // hostNetwork pods share node IPs
  pod('hidden', 'elsewhere', { phase: 'Running', podIP: '10.2.0.8' }), // no Namespace object, no Service
];

test('pods disabled: no <ns>.pod.<zone> (NXDOMAIN), pod.<zone> stays NODATA', () => {
  assert.deepEqual(
    build({ namespaces, pods }, {}, true),
    sorted([
      'apps.svc.cluster.local. ; empty non-terminal',
      'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
      'pod.cluster.local. ; empty non-terminal',
      'svc.cluster.local. ; empty non-terminal',
    ]),
  );
});

test('pods insecure: <ns>.pod.<zone> synthesizes dashed-IP children, for every exposed namespace', () => {
  assert.deepEqual(
    build(
      { namespaces, pods, services: [service('team', 's', { clusterIP: 'None' })] },
      { pods: 'insecure' },
    ),
    sorted([
      'apps.svc.cluster.local. ; empty non-terminal',
      'apps.pod.cluster.local. ; synth dashed-ip',
      'team.svc.cluster.local. ; empty non-terminal',
      'team.pod.cluster.local. ; synth dashed-ip',
    ]),
  );
});

test('pods verified: status.podIP of listed, non-terminating pods in exposed namespaces', () => {
  assert.deepEqual(
    build({ namespaces, pods }, { pods: 'verified' }),
    sorted([
      'apps.svc.cluster.local. ; empty non-terminal',
      'apps.pod.cluster.local. ; empty non-terminal',
      '10-2-0-1.apps.pod.cluster.local. 5 IN A 10.2.0.1',
      '10-2-0-2.apps.pod.cluster.local. 5 IN A 10.2.0.2',
      'fd00--2-3.apps.pod.cluster.local. 5 IN AAAA fd00::2:3',
    ]),
  );
});

test('pods verified honours namespaces', () => {
  const more = [namespace('apps'), namespace('other')];
  const other = pod('other', 'p', { phase: 'Running', podIP: '10.3.0.1' });
  assert.deepEqual(
    build(
      { namespaces: more, pods: [...pods, other] },
      { pods: 'verified', namespaces: ['other'] },
    ),
    sorted([
      'other.svc.cluster.local. ; empty non-terminal',
      'other.pod.cluster.local. ; empty non-terminal',
      '10-3-0-1.other.pod.cluster.local. 5 IN A 10.3.0.1',
    ]),
  );
});
