import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointSliceSchema,
  lastChangeTriggerTime,
  serviceSchema,
  type ObjectKind,
} from '../kube/objects.ts';
import type { KubeObject, ObjectSource } from '../reconcile/object-source.ts';
import { ProgrammingLatency, parseRfc3339 } from './programming-latency.ts';

const NOW = Date.parse('2026-01-01T00:00:10Z');

/** The services (`name clusterIP`) and slices (`name service trigger?`) of namespace `ns`. */
function source(services: string[], slices: string[]): ObjectSource {
  const byKind = new Map<ObjectKind, Map<string, KubeObject>>([
    ['Service', new Map()],
    ['EndpointSlice', new Map()],
  ]);
  for (const line of services) {
    const [name, clusterIP] = line.split(' ');
    byKind
      .get('Service')!
      .set(
        `ns/${name}`,
        serviceSchema.parse({ metadata: { name, namespace: 'ns' }, spec: { clusterIP } }),
      );
  }
  for (const line of slices) {
    const [name, service, trigger] = line.split(' ');
    byKind.get('EndpointSlice')!.set(
      `ns/${name}`,
      endpointSliceSchema.parse({
        metadata: {
          name,
          namespace: 'ns',
          labels: { 'kubernetes.io/service-name': service },
          ...(trigger && { annotations: { [lastChangeTriggerTime]: trigger, other: 'dropped' } }),
        },
        addressType: 'IPv4',
      }),
    );
  }
  return { objects: (kind) => byKind.get(kind) ?? new Map(), onChange: () => () => {} };
}

test('a published change of an annotated headless slice is observed once, from its trigger time', () => {
  const services = ['h None', 'vip 10.96.0.9'];
  const cases: { slice: string; published: string; observed: string[]; logged?: RegExp }[] = [
    {
      slice: 'h-1 h 2026-01-01T00:00:08.5Z',
      published: 'EndpointSlice/ns/h-1',
      observed: ['headless_with_selector 1.5'],
    },
    {
      slice: 'h-1 h 2026-01-01T02:00:09.250000000+02:00',
      published: 'EndpointSlice/ns/h-1',
      observed: ['headless_with_selector 0.75'],
    },
    { slice: 'h-1 h', published: 'EndpointSlice/ns/h-1', observed: [] },
    {
      slice: 'v-1 vip 2026-01-01T00:00:08Z',
      published: 'EndpointSlice/ns/v-1',
      observed: [],
    },
    { slice: 'o-1 gone 2026-01-01T00:00:08Z', published: 'EndpointSlice/ns/o-1', observed: [] },
    { slice: 'h-1 h 2026-01-01T00:00:08Z', published: 'Service/ns/h', observed: [] },
    {
      slice: 'h-1 h yesterday',
      published: 'EndpointSlice/ns/h-1',
      observed: [],
      logged: /EndpointSlice ns\/h-1: invalid .*last-change-trigger-time.*"yesterday"/,
    },
  ];
  for (const c of cases) {
    const observed: string[] = [];
    const logged: string[] = [];
    const latency = new ProgrammingLatency({
      source: source(services, [c.slice]),
      observe: (kind, seconds) => observed.push(`${kind} ${seconds}`),
      now: () => NOW,
      log: (line) => logged.push(line),
    });
    const key = `ns/${c.slice.split(' ')[0]}`;
    latency.changed('EndpointSlice', key);
    latency.published(c.published);
    latency.published(c.published);
    assert.deepEqual(observed, c.observed, c.slice);
    if (c.logged) assert.match(logged.join('\n'), c.logged, c.slice);
    else assert.deepEqual(logged, [], c.slice);
  }
});

test('parseRfc3339: Go time.RFC3339Nano as Kubernetes writes it, nothing else', () => {
  const cases: [string, number | undefined][] = [
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
    ['2026-01-01T00:00:00.123456789Z', Date.UTC(2026, 0, 1) + 123.456789],
    ['2026-01-01T01:30:00+01:30', Date.UTC(2026, 0, 1)],
    ['2025-12-31T23:00:00-01:00', Date.UTC(2026, 0, 1)],
    ['2026-02-29T00:00:00Z', undefined],
    ['2026-13-01T00:00:00Z', undefined],
    ['2026-01-01 00:00:00Z', undefined],
    ['2026-01-01T00:00:00', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of cases) {
    const got = parseRfc3339(text);
    if (ms === undefined) assert.equal(got, undefined, text);
    else assert.ok(Math.abs(got! - ms) < 1e-6, `${text}: ${got} vs ${ms}`);
  }
});
