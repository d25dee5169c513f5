// The watch source (sync/watch/cluster-watch.ts) through the real @kubernetes/client-node against the
// test Kubernetes API server: first list, changes, 410 Gone with a deletion while expired, dropped
// and cleanly closed streams, 500s, an outage, bookmarks, a bad object, the dead-watch guard.
// Every wait is on an event (a change, a log line, a request); test timeouts only stop a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import {
  KubeConfig,
  makeInformer,
  type KubernetesListObject,
  type V1Service,
} from '@kubernetes/client-node';
import {
  ClusterWatch,
  type ClusterWatchOptions,
  type WatchedKind,
} from '../sync/watch/cluster-watch.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import {
  endpointSliceObject,
  namespaceObject,
  podObject,
  serviceObject,
} from './support/kube-objects.ts';

const T = { timeout: 10_000 };

/** A ClusterWatch on `server` with short backoffs, its log lines and change keys, and a waiter. */
function harness(server: KubeApiServer, options: Partial<ClusterWatchOptions> = {}) {
  const lines: string[] = [];
  const changes: string[] = [];
  const waiters = new Set<() => void>();
  const poke = () => [...waiters].forEach((w) => w());
  const watch = new ClusterWatch({
    kubeConfig: server.kubeConfig(),
    pods: false,
    log: (line) => {
      lines.push(line);
      poke();
    },
    backoffMs: { initial: 20, max: 100 },
    ...options,
  });
  watch.onChange((kind, key) => {
    changes.push(`${kind} ${key}`);
    poke();
  });
  /** Resolves once `cond` holds, checked after every change and log line. */
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!cond()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const keys = (kind: WatchedKind) => [...watch.objects(kind).keys()].sort();
  const logged = (pattern: RegExp) => until(() => lines.some((l) => pattern.test(l)));
  /** Starts the watch; resolves once synced and every stream is live on the server. */
  const startLive = async () => {
    const kinds: WatchedKind[] = options.pods
      ? ['Namespace', 'Service', 'EndpointSlice', 'Pod']
      : ['Namespace', 'Service', 'EndpointSlice'];
    const live = kinds.map((k) => server.nextWatch(k));
    watch.start();
    await watch.synced;
    await Promise.all(live);
  };
  return { watch, lines, changes, until, keys, logged, startLive };
}

function seed(server: KubeApiServer): void {
  server.apply('Namespace', namespaceObject('shop'));
  server.apply('Service', serviceObject('shop', 'web'));
  server.apply('Service', serviceObject('shop', 'db', { clusterIP: 'None', clusterIPs: ['None'] }));
  server.apply(
    'EndpointSlice',
    endpointSliceObject('shop', 'db-abc', 'db', ['10.1.0.1', '10.1.0.2']),
  );
  server.apply('Pod', podObject('shop', 'db-0', '10.1.0.1'));
}

test(
  'the first list makes it synced; adds, changes and deletes follow as narrowed objects',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    const h = harness(server);
    try {
      assert.equal(h.watch.isSynced(), false);
      await h.startLive();
      assert.equal(h.watch.isSynced(), true);
      assert.deepEqual(h.keys('Namespace'), ['shop']);
      assert.deepEqual(h.keys('Service'), ['shop/db', 'shop/web']);
      assert.deepEqual(h.keys('EndpointSlice'), ['shop/db-abc']);
      assert.deepEqual(h.keys('Pod'), [], 'pods not watched unless asked');
      assert.equal(server.counters.lists.Pod, 0);
      // Narrowed: fields we do not read are gone.
      const web = h.watch.objects('Service').get('shop/web');
      assert.deepEqual(web?.metadata, { name: 'web', namespace: 'shop' });
      assert.equal(web?.spec.clusterIP, '10.96.0.10');
      const snapshot = h.watch.snapshot();
      assert.deepEqual(
        [
          snapshot.namespaces.length,
          snapshot.services.length,
          snapshot.endpointSlices.length,
          snapshot.pods.length,
        ],
        [1, 2, 1, 0],
      );
      const status = h.watch.status();
      assert.deepEqual(
        { ...status.Service, connected: undefined },
        { watched: true, listed: true, connected: undefined },
      );
      assert.deepEqual(status.Pod, { watched: false, listed: false, connected: false });

      h.changes.length = 0;
      server.apply(
        'Service',
        serviceObject('shop', 'web', { clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] }),
      );
      server.apply('Service', serviceObject('shop', 'cache'));
      server.remove('Service', 'shop', 'db');
      server.apply('Namespace', namespaceObject('shop', { team: 'a' }));
      await h.until(() => h.changes.length === 4);
      assert.deepEqual(h.changes, [
        'Service shop/web',
        'Service shop/cache',
        'Service shop/db',
        'Namespace shop',
      ]);
      assert.deepEqual(h.keys('Service'), ['shop/cache', 'shop/web']);
      assert.equal(h.watch.objects('Service').get('shop/web')?.spec.clusterIP, '10.96.0.99');
      assert.deepEqual(h.watch.objects('Namespace').get('shop')?.metadata.labels, { team: 'a' });
      assert.equal(h.watch.status().Service.connected, true);
    } finally {
      await h.watch.stop();
      await server.close();
    }
  },
);

test('pods are watched when asked', T, async () => {
  const server = await KubeApiServer.start();
  seed(server);
  const h = harness(server, { pods: true });
  try {
    await h.startLive();
    assert.deepEqual(h.keys('Pod'), ['shop/db-0']);
    assert.equal(h.watch.objects('Pod').get('shop/db-0')?.status?.podIP, '10.1.0.1');
    server.remove('Pod', 'shop', 'db-0');
    await h.until(() => h.keys('Pod').length === 0);
  } finally {
    await h.watch.stop();
    await server.close();
  }
});

test('410 Gone mid-change: re-list; an object deleted while expired disappears', T, async () => {
  const server = await KubeApiServer.start();
  seed(server);
  const h = harness(server);
  try {
    await h.startLive();
    const relist = server.nextRequest('Service', 'list');
    server.apply(
      'Service',
      serviceObject('shop', 'web', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] }),
    );
    server.expireWatches();
    // Neither change reaches a watch: the streams are gone and their history compacted.
    server.remove('Service', 'shop', 'db');
    server.remove('EndpointSlice', 'shop', 'db-abc');
    server.apply('Service', serviceObject('shop', 'new'));
    await relist;
    await h.until(
      () =>
        h.keys('Service').join() === 'shop/new,shop/web' && h.keys('EndpointSlice').length === 0,
    );
    assert.equal(h.watch.objects('Service').get('shop/web')?.spec.clusterIP, '10.96.0.50');
    assert.ok(
      h.changes.includes('Service shop/db') && h.changes.includes('EndpointSlice shop/db-abc'),
      'deletions found by the re-list are reported',
    );
    assert.ok(h.lines.some((l) => /watch Service: watch error 410 .*re-listing/.test(l)));
    assert.equal(server.counters.lists.Service, 2);
  } finally {
    await h.watch.stop();
    await server.close();
  }
});

test(
  'a dropped connection is resumed from the last resourceVersion, without a re-list',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    const h = harness(server);
    try {
      await h.startLive();
      const lastSeen = server.resourceVersion;
      const rewatch = server.nextWatch('Service');
      server.dropConnections();
      server.apply('Service', serviceObject('shop', 'after-drop'));
      assert.equal((await rewatch).resourceVersion, lastSeen);
      await h.until(() => h.keys('Service').includes('shop/after-drop'));
      assert.equal(server.counters.lists.Service, 1);
      assert.ok(
        h.lines.some((l) =>
          /watch Service: .*(closed mid-stream|aborted|ECONNRESET).*retrying in \d+ ms/.test(l),
        ),
        h.lines.join('\n'),
      );
    } finally {
      await h.watch.stop();
      await server.close();
    }
  },
);

test('500s on list: not synced until a list succeeds, then synced after the retry', T, async () => {
  const server = await KubeApiServer.start();
  seed(server);
  server.failNext(2, 500, { kind: 'Service', verb: 'list' });
  const h = harness(server);
  try {
    h.watch.start();
    await h.logged(/watch Service: list \/api\/v1\/services: 500 injected failure 500; retrying/);
    assert.equal(h.watch.isSynced(), false);
    assert.match(h.watch.status().Service.lastError ?? '', /500/);
    await h.watch.synced;
    assert.equal(server.counters.lists.Service, 3);
    assert.deepEqual(h.keys('Service'), ['shop/db', 'shop/web']);
    assert.equal(h.watch.status().Service.lastError, undefined);
  } finally {
    await h.watch.stop();
    await server.close();
  }
});

test(
  'the API unreachable from the start, then for a while: changes made meanwhile appear',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    await server.setUnreachable(true);
    const h = harness(server);
    try {
      h.watch.start();
      await h.logged(/ECONNREFUSED/);
      assert.equal(h.watch.isSynced(), false);
      await server.setUnreachable(false);
      await h.watch.synced;

      h.lines.length = 0;
      await server.setUnreachable(true);
      await h.logged(/watch Service: .*ECONNREFUSED.*retrying/);
      assert.equal(h.watch.status().Service.connected, false);
      server.apply('Service', serviceObject('shop', 'during-outage'));
      server.remove('Service', 'shop', 'web');
      await server.setUnreachable(false);
      await h.until(() => h.keys('Service').join() === 'shop/db,shop/during-outage');
      assert.equal(h.watch.status().Service.connected, true);
      assert.deepEqual(h.keys('Namespace'), ['shop'], 'what was known stays known');
    } finally {
      await h.watch.stop();
      await server.close();
    }
  },
);

test('bookmarks move the resourceVersion a stream resumes from', T, async () => {
  const server = await KubeApiServer.start();
  seed(server);
  const h = harness(server);
  try {
    await h.startLive();
    server.apply('Namespace', namespaceObject('elsewhere')); // moves the global version, not the Service stream's
    await h.until(() => h.keys('Namespace').includes('elsewhere'));
    server.bookmark();
    const rewatch = server.nextWatch('Service');
    server.closeWatches();
    assert.equal(
      (await rewatch).resourceVersion,
      server.resourceVersion,
      'resumed from the bookmark, not from the last Service event',
    );
    assert.equal(server.counters.lists.Service, 1);
  } finally {
    await h.watch.stop();
    await server.close();
  }
});

test(
  'an object failing its schema is logged by name and field; the previous good version stays',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    server.apply('Service', serviceObject('shop', 'bad', { ports: [{ port: 'eighty' }] }));
    const h = harness(server);
    try {
      await h.startLive();
      assert.ok(
        h.lines.some(
          (l) =>
            l ===
            'watch Service: Service shop/bad rejected: spec.ports[0].port: Invalid input: expected number, received string; treated as absent',
        ),
        h.lines.join('\n'),
      );
      assert.deepEqual(h.keys('Service'), ['shop/db', 'shop/web']);

      server.apply('Service', serviceObject('shop', 'web', { clusterIP: 42 }));
      await h.logged(
        /Service shop\/web rejected: spec\.clusterIP: .*; keeping its previous version/,
      );
      assert.equal(h.watch.objects('Service').get('shop/web')?.spec.clusterIP, '10.96.0.10');
      // A re-list with the bad version still in place keeps the good one too.
      const relist = server.nextRequest('Service', 'list');
      server.expireWatches();
      await relist;
      await h.until(() => h.lines.filter((l) => l.includes('shop/web rejected')).length === 2);
      assert.equal(h.watch.objects('Service').get('shop/web')?.spec.clusterIP, '10.96.0.10');
      // Fixed: the good version replaces it; deleted: gone.
      server.apply('Service', serviceObject('shop', 'bad'));
      await h.until(() => h.keys('Service').includes('shop/bad'));
      server.remove('Service', 'shop', 'web');
      await h.until(() => !h.keys('Service').includes('shop/web'));
    } finally {
      await h.watch.stop();
      await server.close();
    }
  },
);

test(
  'the dead-watch guard restarts a stream that stays silent, from its resourceVersion',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    const h = harness(server, { idleTimeoutMs: 200 });
    try {
      await h.startLive();
      const rv = server.resourceVersion;
      const rewatch = server.nextWatch('Service');
      await h.logged(/watch Service: no event or bookmark for 200 ms; restarting the watch/);
      assert.equal((await rewatch).resourceVersion, rv);
      assert.equal(server.counters.lists.Service, 1, 'no re-list');
      server.apply('Service', serviceObject('shop', 'after-guard'));
      await h.until(() => h.keys('Service').includes('shop/after-guard'));
    } finally {
      await h.watch.stop();
      await server.close();
    }
  },
);

test(
  'the dead-watch guard also ends a watch whose server never answers the request',
  T,
  async () => {
    // A server that answers lists but leaves every watch request hanging before its headers.
    const silent = createServer((req, res) => {
      if (!req.url?.includes('watch=true'))
        res.end(JSON.stringify({ metadata: { resourceVersion: '7' }, items: [] }));
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const kubeConfig = new KubeConfig();
    const server = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'c', server, skipTLSVerify: true }],
      users: [{ name: 'u' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    const lines: string[] = [];
    let twice!: () => void;
    const restartedTwice = new Promise<void>((resolve) => (twice = resolve));
    const watch = new ClusterWatch({
      kubeConfig,
      pods: false,
      idleTimeoutMs: 100,
      log: (line) => {
        lines.push(line);
        if (
          lines.filter(
            (l) => l === 'watch Service: no event or bookmark for 100 ms; restarting the watch',
          ).length === 2
        )
          twice();
      },
    });
    try {
      watch.start();
      await watch.synced;
      await restartedTwice;
      assert.equal(watch.status().Service.connected, false);
    } finally {
      await watch.stop();
      silent.closeAllConnections();
      silent.close();
    }
  },
);

test('stop ends every stream and schedules nothing more', T, async () => {
  const server = await KubeApiServer.start();
  seed(server);
  const h = harness(server);
  await h.startLive();
  await h.watch.stop();
  const requests = server.counters.watches.Service + server.counters.lists.Service;
  server.apply('Service', serviceObject('shop', 'after-stop'));
  server.dropConnections();
  await server.close();
  assert.equal(server.counters.watches.Service + server.counters.lists.Service, requests);
  assert.ok(!h.keys('Service').includes('shop/after-stop'));
});

// What client-node 1.4 itself does, which the design above builds on.
test(
  'client-node 1.4 informer: a failed list stops it; on 410 its re-list deletes what is gone',
  T,
  async () => {
    const server = await KubeApiServer.start();
    seed(server);
    const kc = server.kubeConfig();
    const list = async (): Promise<KubernetesListObject<V1Service>> => {
      const r = await fetch(`${server.url}/api/v1/services`, {
        headers: { authorization: `Bearer edge-dns-test-token` },
      });
      if (!r.ok) throw Object.assign(new Error(`list: ${r.status}`), { statusCode: r.status });
      return (await r.json()) as KubernetesListObject<V1Service>;
    };
    const informer = makeInformer(kc, '/api/v1/services', list);
    const errors: unknown[] = [];
    const deleted: string[] = [];
    informer.on('error', (e) => errors.push(e));
    informer.on('delete', (s) => deleted.push(s.metadata?.name ?? ''));
    try {
      server.failNext(1, 500, { kind: 'Service', verb: 'list' });
      await informer.start(); // resolves although the list failed
      assert.equal(errors.length, 1);
      assert.equal(server.counters.watches.Service, 0, 'stopped: no watch after a failed list');

      const live = server.nextWatch('Service');
      await informer.start();
      await live;
      assert.equal(informer.list().length, 2);
      const relisted = server.nextRequest('Service', 'list');
      server.expireWatches();
      server.remove('Service', 'shop', 'db');
      await relisted;
      const rewatch = server.nextWatch('Service');
      await rewatch;
      assert.deepEqual(
        deleted,
        ['db'],
        'the re-list fired delete for the object gone while expired',
      );
      assert.deepEqual(
        informer.list().map((s) => s.metadata?.name),
        ['web'],
      );
    } finally {
      await informer.stop();
      server.dropConnections();
      await server.close();
    }
  },
);
