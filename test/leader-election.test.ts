// Leader election on a coordination.k8s.io/v1 Lease (sync/watch/leader-election.ts) through the real
// client-node CoordinationV1Api against the test Kubernetes API server. Expiry is judged on a
// clock the tests move by hand; every wait is on a callback or a request, never a sleep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeaderElection } from '../sync/watch/leader-election.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { leaseObject } from './support/kube-objects.ts';

const T = { timeout: 10_000 };
const NS = 'edge-dns';
const NAME = 'edge-dns-sync-test';

interface Lease {
  metadata: { resourceVersion: string };
  spec: {
    holderIdentity?: string;
    leaseTransitions?: number;
    leaseDurationSeconds?: number;
    renewTime?: string;
  };
}

/** Electors on one server and one hand-moved clock, with a record of who led when. */
function cluster(server: KubeApiServer) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const lines: string[] = [];
  /** `sync-a started 0`, `sync-a stopped`, in order. */
  const events: string[] = [];
  const leaders = new Set<string>();
  const violations: string[] = [];
  const running: LeaderElection[] = [];
  const waiters = new Set<() => void>();
  const make = (identity: string) =>
    new LeaderElection({
      kubeConfig: server.kubeConfig(),
      namespace: NS,
      name: NAME,
      identity,
      retryPeriodSec: 0.02,
      clock: () => now,
      log: (line) => lines.push(line),
    });
  /** Resolves once `event` has been recorded `count` times in all. */
  const seen = (event: string, count = 1) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (events.filter((e) => e === event).length < count) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const record = (event: string) => {
    events.push(event);
    [...waiters].forEach((w) => w());
  };
  const run = (identity: string) => {
    const election = make(identity);
    running.push(election);
    void election.run({
      onStartedLeading: (term) => {
        if (leaders.size > 0)
          violations.push(`${identity} started while ${[...leaders].join()} led`);
        leaders.add(identity);
        record(`${identity} started ${term}`);
      },
      onStoppedLeading: () => {
        leaders.delete(identity);
        record(`${identity} stopped`);
      },
    });
    return election;
  };
  const lease = () => server.get('Lease', NS, NAME) as unknown as Lease | undefined;
  const advance = (ms: number) => (now += ms);
  const stopAll = () => Promise.all(running.map((e) => e.stop()));
  return { make, run, seen, events, lease, advance, lines, violations, stopAll };
}

test(
  'one of two leads; when it stops, it releases the Lease and the other takes over',
  T,
  async () => {
    const server = await KubeApiServer.start();
    const c = cluster(server);
    try {
      const a = c.run('sync-a');
      await c.seen('sync-a started 0'); // creating the Lease is term 0
      assert.equal(c.lease()?.spec.holderIdentity, 'sync-a');
      assert.match(
        c.lease()?.spec.renewTime ?? '',
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
        'MicroTime: microseconds',
      );
      assert.equal(
        await c.make('sync-b').tryAcquireOrRenew(),
        false,
        'a held, unexpired Lease is not taken',
      );

      const b = c.run('sync-b');
      await server.nextRequest('Lease', 'get');
      await server.nextRequest('Lease', 'get'); // both campaign
      assert.equal(a.isLeader(), true);
      assert.equal(b.isLeader(), false);
      await a.stop();
      assert.equal(c.lease()?.spec.holderIdentity, '', `released on stop: ${c.lines.join('\n')}`);
      await c.seen('sync-b started 1'); // a new term for the new leader
      assert.equal(b.term, 1);
      assert.equal(a.term, undefined);
      assert.equal(c.lease()?.spec.holderIdentity, 'sync-b');
      assert.deepEqual(c.events, ['sync-a started 0', 'sync-a stopped', 'sync-b started 1']);
      assert.deepEqual(c.violations, []);
    } finally {
      await c.stopAll();
      await server.close();
    }
  },
);

test(
  'a leader that dies without releasing is replaced once the Lease expires on the candidate clock',
  T,
  async () => {
    const server = await KubeApiServer.start();
    const c = cluster(server);
    try {
      const a = c.run('sync-a');
      await c.seen('sync-a started 0');
      const b = c.run('sync-b');
      await a.stop({ release: false }); // as a crash: the Lease stays with sync-a
      assert.equal(c.lease()?.spec.holderIdentity, 'sync-a');
      // Only b reads now, one read after the other: at its second read it has handled the first,
      // so it has seen the last version sync-a wrote, on the clock before it moves.
      await server.nextRequest('Lease', 'get');
      await server.nextRequest('Lease', 'get');
      c.advance(14_000);
      await server.nextRequest('Lease', 'get');
      await server.nextRequest('Lease', 'get');
      assert.equal(b.isLeader(), false, 'not before leaseDurationSeconds');
      c.advance(2_000);
      await c.seen('sync-b started 1');
      assert.equal(c.lease()?.spec.holderIdentity, 'sync-b');
      assert.deepEqual(c.violations, []);
    } finally {
      await c.stopAll();
      await server.close();
    }
  },
);

test(
  '409 races: of two candidates creating the Lease one wins; a write on a stale version loses',
  T,
  async () => {
    const server = await KubeApiServer.start();
    const c = cluster(server);
    try {
      const a = c.make('sync-a');
      const b = c.make('sync-b');
      const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
      assert.equal(results.filter(Boolean).length, 1, `exactly one wins: ${results}`);
      assert.equal(c.lease()?.spec.holderIdentity, results[0] ? 'sync-a' : 'sync-b');

      // An expired Lease: sync-a reads it, then another write lands before sync-a's replace.
      server.apply('Lease', leaseObject(NS, NAME, 'old-holder'));
      assert.equal(await a.tryAcquireOrRenew(), false);
      c.advance(16_000);
      const interfere = (seen: { verb: string }) => {
        if (seen.verb !== 'update') return;
        server.events.off('request', interfere);
        server.apply('Lease', leaseObject(NS, NAME, 'old-holder'));
      };
      server.events.on('request', interfere);
      assert.equal(
        await a.tryAcquireOrRenew(),
        false,
        'the replace carried a stale resourceVersion',
      );
      assert.ok(
        c.lines.some((l) => /409/.test(l) && /sync-a does not hold it/.test(l)),
        c.lines.join('\n'),
      );
      assert.equal(c.lease()?.spec.holderIdentity, 'old-holder');

      // Two candidates on the same expired version: exactly one replace lands.
      assert.equal(await b.tryAcquireOrRenew(), false); // b observes the current version
      c.advance(16_000);
      const both = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
      assert.equal(both.filter(Boolean).length, 1, `exactly one takes it: ${both}`);
      assert.equal(c.lease()?.spec.holderIdentity, both[0] ? 'sync-a' : 'sync-b');
      assert.equal(c.lease()?.spec.leaseTransitions, 1);
    } finally {
      await server.close();
    }
  },
);

test(
  'a leader steps down at once when another holds the Lease, and after the renew deadline on errors; terms grow',
  T,
  async () => {
    const server = await KubeApiServer.start();
    const c = cluster(server);
    try {
      c.run('sync-a');
      await c.seen('sync-a started 0');
      server.apply('Lease', {
        ...server.get('Lease', NS, NAME),
        spec: { ...c.lease()?.spec, holderIdentity: 'intruder' },
      });
      await c.seen('sync-a stopped');
      assert.ok(
        c.lines.some((l) => /sync-a stops leading \(held by intruder\)/.test(l)),
        c.lines.join('\n'),
      );

      // The intruder stops renewing: sync-a takes the Lease back once it expires, with a newer term.
      await server.nextRequest('Lease', 'get');
      c.advance(16_000);
      await c.seen('sync-a started 1');

      // Renewals fail: still leading until the renew deadline passes, then it steps down.
      server.failNext(1_000_000, 500, { kind: 'Lease' });
      await server.nextRequest('Lease', 'get');
      await server.nextRequest('Lease', 'get');
      assert.deepEqual(
        c.events.slice(-1),
        ['sync-a started 1'],
        'a failed renewal alone does not end leadership',
      );
      c.advance(10_000);
      await c.seen('sync-a stopped', 2);
      assert.ok(
        c.lines.some((l) => /sync-a stops leading \(not renewed for 10000 ms\)/.test(l)),
        c.lines.join('\n'),
      );
      server.clearFailures();
      await c.seen('sync-a started 2');
      assert.deepEqual(c.events, [
        'sync-a started 0',
        'sync-a stopped',
        'sync-a started 1',
        'sync-a stopped',
        'sync-a started 2',
      ]);
      assert.deepEqual(c.violations, []);
    } finally {
      await c.stopAll();
      await server.close();
    }
  },
);

test(
  'a slow API server delays the election, not prevents it: Lease answers later than the margin',
  T,
  async () => {
    const server = await KubeApiServer.start();
    // Every Lease answer comes 600 ms after the server applied the call: longer than the third of
    // leaseDuration - renewDeadline - retryPeriod (400 ms) that bounds a leader's calls past its
    // deadline, well inside the renew deadline (4 s), as a loaded API server answers.
    const slow = createServer((req, res) => {
      const up = request(`${server.url}${req.url}`, { method: req.method, headers: req.headers });
      up.on('response', (r) => {
        const body: Buffer[] = [];
        r.on('data', (chunk: Buffer) => body.push(chunk));
        r.on('end', () =>
          setTimeout(
            () => res.writeHead(r.statusCode ?? 502, r.headers).end(Buffer.concat(body)),
            600,
          ),
        );
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const kubeConfig = server.kubeConfig();
    kubeConfig.clusters[0] = {
      ...kubeConfig.clusters[0]!,
      server: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
    };
    const lines: string[] = [];
    const election = new LeaderElection({
      kubeConfig,
      namespace: NS,
      name: NAME,
      identity: 'sync-a',
      leaseDurationSec: 6,
      renewDeadlineSec: 4,
      retryPeriodSec: 0.8,
      log: (line) => lines.push(line),
    });
    try {
      const term = await new Promise<number>((resolve) => {
        void election.run({ onStartedLeading: resolve, onStoppedLeading: () => {} });
      });
      assert.equal(term, 0, lines.join('\n'));
      assert.equal(leaseOf(server)?.spec.holderIdentity, 'sync-a');
      assert.deepEqual(lines, ['lease edge-dns/edge-dns-sync-test: acquired by sync-a, term 0']);
    } finally {
      await election.stop();
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      await server.close();
    }
  },
);

/** The Lease as the server holds it. */
const leaseOf = (server: KubeApiServer) =>
  server.get('Lease', NS, NAME) as unknown as Lease | undefined;

test('bad timings are refused with a clear message', () => {
  assert.throws(
    () =>
      new LeaderElection({
        kubeConfig: undefined as never,
        namespace: NS,
        name: NAME,
        identity: 'x',
        leaseDurationSec: 10,
        renewDeadlineSec: 10,
      }),
    /need leaseDurationSec > renewDeadlineSec > retryPeriodSec > 0, got 10, 10, 2/,
  );
});
