// The test Kubernetes API server, through the real @kubernetes/client-node: lists, watch streams
// (history, live events, bookmarks, 410 Gone), Lease concurrency, injected failures and outages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoordinationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubeConfig,
  Watch,
} from '@kubernetes/client-node';
import { KubeApiServer, TOKEN } from './support/kube-api-server.ts';
import {
  endpointSliceObject,
  leaseObject,
  namespaceObject,
  serviceObject,
} from './support/kube-objects.ts';

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  code?: number;
}

/** Opens a watch with client-node's own Watch; collects events until `done`. */
async function watchWith(kc: KubeConfig, path: string, params: Record<string, string | boolean>) {
  const seen: Seen[] = [];
  let notify = () => {};
  const done = new Promise<unknown>((resolve) => {
    void new Watch(kc).watch(
      path,
      params,
      (type, object: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) => {
        seen.push({
          type,
          name: object.metadata?.name,
          rv: object.metadata?.resourceVersion,
          code: object.code,
        });
        notify();
      },
      resolve,
    );
  });
  /** Resolves once `n` events arrived. */
  const count = (n: number) =>
    new Promise<void>((resolve) => {
      notify = () => seen.length >= n && resolve();
      notify();
    });
  return { seen, done, count };
}

test('lists carry the resourceVersion and every item; pages follow limit/continue', async () => {
  const server = await KubeApiServer.start();
  try {
    server.apply('Namespace', namespaceObject('shop'));
    server.apply('Service', serviceObject('shop', 'web'));
    server.apply('Service', serviceObject('shop', 'db'));
    server.apply('EndpointSlice', endpointSliceObject('shop', 'web-1', 'web', ['10.1.0.1']));
    const kc = server.kubeConfig();
    const services = await kc.makeApiClient(CoreV1Api).listServiceForAllNamespaces();
    assert.deepEqual(services.items.map((s) => s.metadata?.name).sort(), ['db', 'web']);
    assert.equal(services.metadata?.resourceVersion, server.resourceVersion);
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    assert.deepEqual(
      namespaces.items.map((n) => n.metadata?.name),
      ['shop'],
    );
    const slices = await kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces();
    assert.equal(slices.items[0]?.endpoints[0]?.addresses[0], '10.1.0.1');

    const first = await kc.makeApiClient(CoreV1Api).listServiceForAllNamespaces({ limit: 1 });
    assert.equal(first.items.length, 1);
    assert.ok(first.metadata?._continue);
    server.apply('Service', serviceObject('shop', 'late')); // not in the snapshot being paged
    const second = await kc
      .makeApiClient(CoreV1Api)
      .listServiceForAllNamespaces({ limit: 1, _continue: first.metadata?._continue });
    assert.equal(second.items.length, 1);
    assert.equal(second.metadata?._continue, undefined);
    assert.equal(second.metadata?.resourceVersion, first.metadata?.resourceVersion);
    assert.equal(server.counters.lists.Service, 3);
  } finally {
    await server.close();
  }
});

test('a watch replays history after its resourceVersion, then streams live events and bookmarks', async () => {
  const server = await KubeApiServer.start();
  try {
    const kc = server.kubeConfig();
    server.apply('Service', serviceObject('shop', 'web'));
    const from = server.resourceVersion;
    server.apply('Service', serviceObject('shop', 'db'));
    server.apply('Namespace', namespaceObject('other')); // another kind: not in this stream
    const live = server.nextWatch('Service');
    const w = await watchWith(kc, '/api/v1/services', {
      resourceVersion: from,
      allowWatchBookmarks: true,
    });
    await live;
    server.apply('Service', serviceObject('shop', 'web', { clusterIP: '10.96.0.11' }));
    server.remove('Service', 'shop', 'db');
    server.bookmark();
    await w.count(4);
    assert.deepEqual(
      w.seen.map((e) => `${e.type} ${e.name ?? ''}`),
      ['ADDED db', 'MODIFIED web', 'DELETED db', 'BOOKMARK '],
    );
    assert.equal(w.seen[3]?.rv, server.resourceVersion);
    assert.equal(server.openWatches('Service'), 1);
    server.dropConnections();
    await w.done;
    assert.equal(server.counters.watches.Service, 1);
  } finally {
    await server.close();
  }
});

test('expiry: open watches get an ERROR 410 event and end; a re-watch from before gets 410 at once', async () => {
  const server = await KubeApiServer.start();
  try {
    const kc = server.kubeConfig();
    server.apply('Service', serviceObject('shop', 'web'));
    const old = server.resourceVersion;
    const live = server.nextWatch('Service');
    const w = await watchWith(kc, '/api/v1/services', { resourceVersion: old });
    await live;
    server.expireWatches();
    assert.equal(await w.done, null, 'the stream ends cleanly after the ERROR event');
    assert.deepEqual(w.seen, [{ type: 'ERROR', name: undefined, rv: undefined, code: 410 }]);

    server.apply('Service', serviceObject('shop', 'db'));
    const again = await watchWith(kc, '/api/v1/services', { resourceVersion: old });
    await again.done;
    assert.equal(again.seen[0]?.code, 410);
    const current = await watchWith(kc, '/api/v1/services', {
      resourceVersion: server.resourceVersion,
    });
    server.apply('Service', serviceObject('shop', 'cache'));
    await current.count(1);
    assert.equal(current.seen[0]?.name, 'cache');
    server.dropConnections();
  } finally {
    await server.close();
  }
});

test('Leases: create, 409 AlreadyExists, replace with resourceVersion, 409 Conflict on a stale one', async () => {
  const server = await KubeApiServer.start();
  try {
    const api = server.kubeConfig().makeApiClient(CoordinationV1Api);
    const body = {
      metadata: { name: 'sync', namespace: 'edge' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15 },
    };
    const created = await api.createNamespacedLease({ namespace: 'edge', body });
    await assert.rejects(
      api.createNamespacedLease({ namespace: 'edge', body }),
      (e: { code?: number }) => e.code === 409,
    );
    const read = await api.readNamespacedLease({ namespace: 'edge', name: 'sync' });
    assert.equal(read.spec?.holderIdentity, 'a');
    const replaced = await api.replaceNamespacedLease({
      namespace: 'edge',
      name: 'sync',
      body: { ...read, spec: { ...read.spec, holderIdentity: 'b' } },
    });
    assert.notEqual(replaced.metadata?.resourceVersion, created.metadata?.resourceVersion);
    await assert.rejects(
      api.replaceNamespacedLease({
        namespace: 'edge',
        name: 'sync',
        body: { ...read, spec: { holderIdentity: 'c' } },
      }),
      (e: { code?: number }) => e.code === 409,
    );
    await assert.rejects(
      api.readNamespacedLease({ namespace: 'edge', name: 'absent' }),
      (e: { code?: number }) => e.code === 404,
    );
    server.apply('Lease', leaseObject('edge', 'other', 'x'));
    assert.equal(
      (await api.readNamespacedLease({ namespace: 'edge', name: 'other' })).spec?.holderIdentity,
      'x',
    );
  } finally {
    await server.close();
  }
});

test('injected failures, a wrong token, and an outage on the same port', async () => {
  const server = await KubeApiServer.start();
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-kube-'));
  try {
    const file = join(dir, 'kubeconfig.yaml');
    server.writeKubeconfig(file);
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const core = kc.makeApiClient(CoreV1Api);
    server.failNext(1, 503, { kind: 'Service', verb: 'list' });
    await assert.rejects(
      core.listServiceForAllNamespaces(),
      (e: { code?: number }) => e.code === 503,
    );
    assert.equal((await core.listServiceForAllNamespaces()).items.length, 0);

    const stranger = new KubeConfig();
    stranger.loadFromString(kc.exportConfig().replace(TOKEN, 'wrong'));
    await assert.rejects(
      stranger.makeApiClient(CoreV1Api).listNamespace(),
      (e: { code?: number }) => e.code === 401,
    );

    const url = server.url;
    await server.setUnreachable(true);
    await assert.rejects(core.listNamespace(), /ECONNREFUSED/);
    server.apply('Namespace', namespaceObject('made-meanwhile'));
    await server.setUnreachable(false);
    assert.equal(server.url, url);
    assert.deepEqual(
      (await core.listNamespace()).items.map((n) => n.metadata?.name),
      ['made-meanwhile'],
    );
  } finally {
    await server.close();
  }
});
