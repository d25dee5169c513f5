// The sync end to end: the real client-node against the test Kubernetes API server, publishing
// through the real AWS SDK to dynalite and, as the container does, to a memory store. After every
// scenario each store answers exactly what the builder computes from the cluster's objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite } from './support/dynalite.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { endpointSliceObject, namespaceObject, serviceObject } from './support/kube-objects.ts';
import { caughtUp, Cluster, dynamoSync, memorySync, verify } from './support/sync-harness.ts';

const ips = (n: number, base = '10.1.0') => Array.from({ length: n }, (_, i) => `${base}.${i + 1}`);

function seed(c: Cluster): void {
  c.apply('Namespace', namespaceObject('default'));
  c.apply('Namespace', namespaceObject('shop'));
  c.apply(
    'Service',
    serviceObject('default', 'kubernetes', {
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    }),
  );
  c.apply(
    'Service',
    serviceObject('shop', 'web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }),
  );
  c.apply('Service', serviceObject('shop', 'db', { clusterIP: 'None', clusterIPs: ['None'] }));
  c.apply('EndpointSlice', endpointSliceObject('shop', 'db-1', 'db', ips(3)));
}

test('the sync converges after every kind of change, in DynamoDB and in memory alike', async (t) => {
  const api = await KubeApiServer.start();
  const db = await startDynalite();
  const c = new Cluster(api);
  seed(c);
  const dyn = dynamoSync(api, db, 'east');
  const mem = memorySync(api);
  const settle = async () => {
    await caughtUp(dyn.live, c);
    await caughtUp(mem.live, c);
    return verify(c, { dynamo: dyn, memory: mem.store });
  };
  t.after(async () => {
    await dyn.live.stop();
    await mem.live.stop();
    await db.close();
    await api.close();
  });
  await Promise.all([
    dyn.live.start().then(() => dyn.live.publish()),
    mem.live.start().then(() => mem.live.publish()),
  ]);

  await t.test('initial load', async () => {
    const names = await settle();
    assert.ok(names.has('web.shop.svc.cluster.local'));
    assert.ok(names.has('10-1-0-2.db.shop.svc.cluster.local'));
  });

  await t.test('a Service added, changed, deleted', async () => {
    c.apply(
      'Service',
      serviceObject('shop', 'cart', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'] }),
    );
    assert.ok((await settle()).has('cart.shop.svc.cluster.local'));
    c.apply(
      'Service',
      serviceObject('shop', 'cart', { clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] }),
    );
    assert.ok((await settle()).has('21.0.96.10.in-addr.arpa'));
    c.remove('Service', 'shop', 'cart');
    assert.ok(!(await settle()).has('cart.shop.svc.cluster.local'));
  });

  await t.test('endpoints scaling 0 -> 50 -> 0', async () => {
    for (const n of [0, 50, 0]) {
      c.apply('EndpointSlice', endpointSliceObject('shop', 'db-1', 'db', ips(n)));
      const names = await settle();
      assert.equal(names.has('10-1-0-50.db.shop.svc.cluster.local'), n === 50);
    }
  });

  await t.test('a namespace deleted, with what it held', async () => {
    c.apply('Namespace', namespaceObject('tmp'));
    c.apply(
      'Service',
      serviceObject('tmp', 'job', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'] }),
    );
    assert.ok((await settle()).has('tmp.svc.cluster.local'));
    c.remove('Service', 'tmp', 'job');
    c.remove('Namespace', '', 'tmp');
    assert.ok(!(await settle()).has('tmp.svc.cluster.local'));
  });

  await t.test(
    'a watch expiring (410 Gone) mid-change, with a deletion while it re-lists',
    async () => {
      c.apply(
        'Service',
        serviceObject('shop', 'a', { clusterIP: '10.96.0.41', clusterIPs: ['10.96.0.41'] }),
      );
      api.expireWatches();
      c.remove('Service', 'shop', 'web');
      c.apply(
        'Service',
        serviceObject('shop', 'b', { clusterIP: '10.96.0.42', clusterIPs: ['10.96.0.42'] }),
      );
      const names = await settle();
      assert.ok(!names.has('web.shop.svc.cluster.local') && names.has('b.shop.svc.cluster.local'));
    },
  );

  await t.test(
    'the API server unreachable for a while: last answers kept, changes caught up after',
    async () => {
      await api.setUnreachable(true);
      c.apply(
        'Service',
        serviceObject('shop', 'late', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] }),
      );
      c.remove('Service', 'shop', 'a');
      assert.ok(
        mem.store.lookup('a.shop.svc.cluster.local'),
        'the memory store still answers the last known records',
      );
      assert.ok(
        await dyn.reader.lookup('a.shop.svc.cluster.local'),
        'DynamoDB still holds the last known records',
      );
      await api.setUnreachable(false);
      const names = await settle();
      assert.ok(names.has('late.shop.svc.cluster.local') && !names.has('a.shop.svc.cluster.local'));
    },
  );
});

test('a sync that crashed between two batches is restarted and converges, nothing stale left', async () => {
  const api = await KubeApiServer.start();
  const db = await startDynalite();
  const c = new Cluster(api);
  seed(c);
  for (let i = 0; i < 40; i++)
    c.apply(
      'Service',
      serviceObject('shop', `s${i}`, {
        clusterIP: `10.96.1.${i + 1}`,
        clusterIPs: [`10.96.1.${i + 1}`],
      }),
    );
  // The first process dies after two BatchWriteItem calls: every later call fails.
  let batches = 0;
  const dying: DynamoDBClient['send'] = ((command: unknown) => {
    if (command instanceof BatchWriteItemCommand && ++batches > 2)
      return Promise.reject(
        Object.assign(new Error('process killed'), { name: 'NetworkingError' }),
      );
    return (db.client.send as (c: unknown) => Promise<unknown>)(command);
  }) as DynamoDBClient['send'];
  const first = dynamoSync(api, db, 'east', dying);
  await first.live.start();
  const report = await first.live.publish();
  assert.ok(
    report.put > 0 && report.failed > 0,
    `the first sync wrote some and failed the rest (${JSON.stringify(report)})`,
  );
  await first.live.stop();
  // While it was down: services removed (their items must go) and added.
  for (let i = 0; i < 20; i++) c.remove('Service', 'shop', `s${i}`);
  c.apply(
    'Service',
    serviceObject('shop', 'new', { clusterIP: '10.96.2.1', clusterIPs: ['10.96.2.1'] }),
  );
  const second = dynamoSync(api, db, 'east');
  await second.live.start();
  await second.live.publish();
  await caughtUp(second.live, c);
  await verify(c, { dynamo: second });
  await second.live.stop();
  await db.close();
  await api.close();
});

test("two clusters writing one table never touch each other's items", async () => {
  const db = await startDynalite();
  const [apiA, apiB] = await Promise.all([KubeApiServer.start(), KubeApiServer.start()]);
  const [a, b] = [new Cluster(apiA), new Cluster(apiB)];
  seed(a);
  seed(b); // the same names in both clusters
  b.apply(
    'Service',
    serviceObject('shop', 'only-b', { clusterIP: '10.96.3.1', clusterIPs: ['10.96.3.1'] }),
  );
  const [syncA, syncB] = [dynamoSync(apiA, db, 'east'), dynamoSync(apiB, db, 'west')];
  for (const s of [syncA, syncB]) {
    await s.live.start();
    await s.live.publish();
  }
  await verify(a, { dynamo: syncA });
  await verify(b, { dynamo: syncB });
  // Cluster A deletes a Service both have, and restarts from scratch: B's copy stays.
  a.remove('Service', 'shop', 'web');
  await caughtUp(syncA.live, a);
  await syncA.live.stop();
  const again = dynamoSync(apiA, db, 'east');
  await again.live.start();
  await again.live.publish();
  await verify(a, { dynamo: again });
  await verify(b, { dynamo: syncB });
  assert.ok(await syncB.reader.lookup('web.shop.svc.cluster.local'));
  assert.equal(await again.reader.lookup('only-b.shop.svc.cluster.local'), undefined);
  for (const s of [again, syncB]) await s.live.stop();
  await Promise.all([apiA.close(), apiB.close(), db.close()]);
});
