// The sync's DynamoDB calls have deadlines (docs/architecture.md §5.7, sync/write/dynamodb-client.ts):
// the real sync process, watching the test Kubernetes API, writes dynalite through a proxy that
// stalls every call (reads them, never answers). A round with a change then ends, its names failed
// with a timeout named in the log, and is retried with backoff; once the proxy heals, a retry
// publishes the change. A guard bounds each wait; none is an assertion on speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { serviceObject } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { startProxiedSync } from './support/proxied-sync.ts';

const GUARD = { timeout: 90_000 };
const CLUSTER = 'stalled';
/** --dynamodb-timeout: short, so that the three attempts of a stalled call end soon. */
const TIMEOUT = '400ms';

/** A round that failed: its names, and the error it names (reconciler.ts #logRound). */
const FAILED_ROUND = /: reconcile: .*, (\d+) failed \(retrying: (.*)\) in \d+ ms$/;

test(
  'a stalled DynamoDB fails the round within bounds; the retry converges once it heals',
  GUARD,
  async (t) => {
    const {
      db,
      proxy,
      cluster: c,
      sync,
    } = await startProxiedSync(t, CLUSTER, [...['--dynamodb-timeout', TIMEOUT]]);
    const published = async (name: string) =>
      (
        await db.client.send(
          new GetItemCommand({
            TableName: db.table,
            Key: { name: { S: name }, cluster: { S: CLUSTER } },
            ConsistentRead: true,
          }),
        )
      ).Item !== undefined;

    await sync.waitFor(/: full reconcile: /, { timeoutMs: 30_000 });
    const NEW = 'late.default.svc.cluster.local';
    assert.equal(await published(NEW), false);

    proxy.behave('stall');
    const from = sync.mark();
    c.apply(
      'Service',
      serviceObject('default', 'late', { clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'] }),
    );
    // Three attempts of the fence's PutItem, each abandoned at the timeout: the round ends.
    const line = await sync.waitFor(FAILED_ROUND, { from, timeoutMs: 20_000 });
    const [, failed, error] = FAILED_ROUND.exec(line)!;
    assert.ok(Number(failed) > 0, line);
    assert.match(error!, /TimeoutError|timed? ?out|exceeded/i, 'the error says the call timed out');
    assert.ok(proxy.calls.length > 0);
    // Retried with backoff while stalled: another failed round, and the sync still alive.
    await sync.waitFor(FAILED_ROUND, {
      from: sync.lines().findIndex((l) => l.text === line) + 1,
      timeoutMs: 20_000,
    });
    assert.equal(await published(NEW), false, 'nothing got through the stalled proxy');

    proxy.behave('pass');
    await pollUntil(() => published(NEW), Boolean, {
      deadlineMs: 30_000,
      what: `${NEW} published after the proxy healed`,
    });
  },
);
