// Property: whatever happens on the way (random changes, watches expiring or dropped, 500s from the
// API server, DynamoDB throttling and failed batches), the sync converges to exactly what the
// builder computes from the final objects. Real client-node, real SDK, dynalite.
import { test } from 'node:test';
import fc from 'fast-check';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite } from './support/dynalite.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { endpointSliceObject, namespaceObject, serviceObject } from './support/kube-objects.ts';
import { caughtUp, Cluster, dynamoSync, memorySync, verify } from './support/sync-harness.ts';

type Step =
  | { service: string; ns: string; ip: number; headless: boolean }
  | { removeService: string; ns: string }
  | { slice: string; ns: string; endpoints: number }
  | { namespace: string; present: boolean }
  | { expireWatches: true }
  | { dropConnections: true }
  | { apiErrors: number }
  | { writeFailures: number };

const ns = fc.constantFrom('shop', 'ops');
const svc = fc.constantFrom('web', 'api', 'db');
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      service: svc,
      ns,
      ip: fc.integer({ min: 1, max: 200 }),
      headless: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ removeService: svc, ns }) },
  {
    weight: 3,
    arbitrary: fc.record({ slice: svc, ns, endpoints: fc.integer({ min: 0, max: 8 }) }),
  },
  { weight: 1, arbitrary: fc.record({ namespace: ns, present: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ expireWatches: true as const }) },
  { weight: 1, arbitrary: fc.constant({ dropConnections: true as const }) },
  { weight: 1, arbitrary: fc.record({ apiErrors: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ writeFailures: fc.integer({ min: 1, max: 6 }) }) },
);

test("random changes, watch expiries, API errors and write failures converge to the builder's records", async () => {
  const db = await startDynalite();
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const api = await KubeApiServer.start();
        const c = new Cluster(api);
        c.apply('Namespace', namespaceObject('shop'));
        c.apply(
          'Service',
          serviceObject('shop', 'web', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'] }),
        );
        // BatchWriteItem calls to fail: a throttled or unreachable table for a few calls.
        let failing = 0;
        const send = ((command: unknown) => {
          if (command instanceof BatchWriteItemCommand && failing > 0) {
            failing--;
            return Promise.reject(
              Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
                name: 'ThrottlingException',
              }),
            );
          }
          return (db.client.send as (x: unknown) => Promise<unknown>)(command);
        }) as DynamoDBClient['send'];
        const dyn = dynamoSync(api, db, `run-${++run}`, send);
        const mem = memorySync(api);
        try {
          await Promise.all([
            dyn.live.start().then(() => dyn.live.publish()),
            mem.live.start().then(() => mem.live.publish()),
          ]);
          for (const s of steps) {
            if ('service' in s) {
              const ip = s.headless ? 'None' : `10.96.0.${s.ip}`;
              c.apply(
                'Service',
                serviceObject(s.ns, s.service, { clusterIP: ip, clusterIPs: [ip] }),
              );
            } else if ('removeService' in s) {
              if (c.model.objects('Service').has(`${s.ns}/${s.removeService}`))
                c.remove('Service', s.ns, s.removeService);
            } else if ('slice' in s) {
              const ips = Array.from(
                { length: s.endpoints },
                (_, i) => `10.1.${s.ns === 'shop' ? 0 : 1}.${i + 1}`,
              );
              c.apply('EndpointSlice', endpointSliceObject(s.ns, `${s.slice}-1`, s.slice, ips));
            } else if ('namespace' in s) {
              if (s.present) c.apply('Namespace', namespaceObject(s.namespace));
              else if (c.model.objects('Namespace').has(s.namespace))
                c.remove('Namespace', '', s.namespace);
            } else if ('expireWatches' in s) api.expireWatches();
            else if ('dropConnections' in s) api.dropConnections();
            else if ('apiErrors' in s) api.failNext(s.apiErrors, 500);
            else failing += s.writeFailures;
          }
          await caughtUp(dyn.live, c);
          await caughtUp(mem.live, c);
          await verify(c, { dynamo: dyn, memory: mem.store });
        } finally {
          await Promise.all([dyn.live.stop(), mem.live.stop()]);
          await api.close();
        }
      }),
      { numRuns: 12 },
    );
  } finally {
    await db.close();
  }
});
