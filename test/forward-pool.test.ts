// The upstream pool over real sockets (docs/architecture.md §6.12): scripted resolvers on
// 127.0.0.1, real UdpUpstream / TcpUpstream, an UpstreamPool and a CachingForwarder with its
// clock injected (test/support/live-forwarder.ts). A dead upstream is skipped after max_fails
// and comes back when its `. NS` health probe is answered; the policies spread load as named,
// counted on the servers' own logs; max_concurrent answers REFUSED past the limit. Distinct names
// force cache misses. Only 127.0.0.1. The cache over real sockets: forward-cache-live.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Policy } from '../functions/forward/upstream-pool.ts';
import { a, answer, drop, type ScriptedUpstream } from './support/scripted-upstream.ts';
import { addressesOf, withLive } from './support/live-forwarder.ts';

let serial = 0;
/** A fresh name per use, so scripts and log counts never meet. */
const fresh = (label: string): string => `${label}-${++serial}.pool.test`;

/** Scripts `name A` on each server: server i answers 192.0.2.(i+1), so an answer names who gave it. */
function serveAll(servers: readonly ScriptedUpstream[], name: string): void {
  servers.forEach((s, i) => s.script(name, 'A', answer([a(name, `192.0.2.${i + 1}`)])));
}

/** How many of `names` each server was asked. */
const perServer = (servers: readonly ScriptedUpstream[], names: readonly string[]): number[] =>
  servers.map((s) => names.reduce((sum, n) => sum + s.count(n, 'A'), 0));

// --- a dead upstream: skipped after max_fails, back after its health probe --------------------

for (const transport of ['udp', 'tcp'] as const) {
  test(`${transport}: a dead upstream is skipped after max_fails; its . NS probe brings it back`, async () => {
    // A read timeout of 250 ms is what a dropped query costs (long enough for a loopback answer on a
    // loaded machine: the live upstream has the same timeout); nothing else waits on a clock.
    await withLive(
      {
        servers: 2,
        transport,
        timeoutMs: 250,
        pool: { policy: 'sequential', maxFails: 2, healthCheckMs: 10 },
      },
      async (live) => {
        const [first, second] = live.servers as [ScriptedUpstream, ScriptedUpstream];
        const firstName = live.upstreams[0]!.name;
        let alive = false;
        const names = Array.from({ length: 5 }, () => fresh('dead'));
        for (const name of names) {
          first.script(name, 'A', () => (alive ? answer([a(name, '192.0.2.1')]) : drop()));
          second.script(name, 'A', answer([a(name, '192.0.2.2')]));
        }
        first.script('.', 'NS', () => (alive ? answer([]) : drop()));

        // Two failures (max_fails 2): each query still answered, by the second upstream.
        for (const name of names.slice(0, 2))
          assert.deepEqual(addressesOf(await live.ask(name)), ['192.0.2.2']);
        const down = await live.logged(/ is down /);
        assert.ok(down.startsWith(`${firstName} is down after 2 failures`), down);
        assert.equal(live.pool.isUp(firstName), false);

        // Down: the next queries go straight to the second; the first is only probed.
        for (const name of names.slice(2, 4))
          assert.deepEqual(addressesOf(await live.ask(name)), ['192.0.2.2']);
        assert.deepEqual(
          perServer([first], names.slice(2, 4)),
          [0],
          'nothing sent to the down upstream',
        );
        const probe = await first.nextQuery((q) => q.type === 'NS');
        assert.deepEqual(
          [probe.name, probe.transport],
          ['.', transport],
          'the probe is . NS, over the same transport',
        );
        assert.equal(live.pool.isUp(firstName), false, 'a dropped probe leaves it down');

        // It answers again: the next probe brings it back, and sequential sends to it first again.
        alive = true;
        await live.logged(/is up again/);
        assert.equal(live.pool.isUp(firstName), true);
        assert.deepEqual(addressesOf(await live.ask(names[4]!)), ['192.0.2.1']);

        assert.deepEqual(
          names.map((n) => first.count(n, 'A')),
          [1, 1, 0, 0, 1],
          'first: two failures, skipped twice, back',
        );
        assert.deepEqual(
          names.map((n) => second.count(n, 'A')),
          [1, 1, 1, 1, 0],
          'second: took over while the first was down',
        );
        assert.ok(
          first.count('.', 'NS') >= 2,
          'at least one failed probe and the one that answered',
        );
        assert.deepEqual(live.pool.stats.answered, {
          [firstName]: 1,
          [live.upstreams[1]!.name]: 4,
        });
      },
    );
  });
}

test('a closed upstream (nothing listening) fails at once and is skipped after max_fails', async () => {
  await withLive(
    { servers: 2, pool: { policy: 'sequential', maxFails: 1, healthCheckMs: 60_000 } },
    async (live) => {
      const [first, second] = live.servers as [ScriptedUpstream, ScriptedUpstream];
      const names = [fresh('closed'), fresh('closed')];
      for (const name of names) serveAll(live.servers, name);
      await first.close(); // a connected UDP socket gets the ICMP port unreachable: ECONNREFUSED, no timeout
      for (const name of names) assert.deepEqual(addressesOf(await live.ask(name)), ['192.0.2.2']);
      assert.deepEqual(
        live.pool.stats.failures,
        { [live.upstreams[0]!.name]: 1, [live.upstreams[1]!.name]: 0 },
        'tried once, then skipped',
      );
      assert.equal(live.pool.isUp(live.upstreams[0]!.name), false);
      assert.deepEqual(perServer([second], names), [2]);
    },
  );
});

// --- policies, counted on the servers ---------------------------------------------------------

const N = 100;
/** A seeded LCG (the pool's `random` option), so the random policy's spread is the same every run. */
function seeded(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const policies: {
  policy: Policy;
  what: string;
  check: (servedBy: number[], counts: number[]) => void;
}[] = [
  {
    policy: 'sequential',
    what: 'every query to the first',
    check: (servedBy, counts) => {
      assert.ok(servedBy.every((s) => s === 0));
      assert.deepEqual(counts, [N, 0]);
    },
  },
  {
    policy: 'round_robin',
    what: 'alternating, evenly',
    check: (servedBy, counts) => {
      assert.deepEqual(
        servedBy,
        servedBy.map((_, i) => i % 2),
      );
      assert.deepEqual(counts, [N / 2, N / 2]);
    },
  },
  {
    policy: 'random',
    what: 'both used, roughly evenly',
    check: (_servedBy, counts) => {
      for (const c of counts)
        assert.ok(c >= 0.35 * N && c <= 0.65 * N, `uneven: ${counts.join(' / ')}`);
    },
  },
];

for (const c of policies) {
  test(`policy ${c.policy}: ${c.what} (${N} distinct names, counted on the servers)`, async () => {
    await withLive({ servers: 2, pool: { policy: c.policy, random: seeded(7) } }, async (live) => {
      const names = Array.from({ length: N }, () => fresh(c.policy));
      const servedBy: number[] = [];
      for (const name of names) {
        serveAll(live.servers, name);
        const got = addressesOf(await live.ask(name));
        assert.equal(got.length, 1, name);
        servedBy.push(Number(got[0]!.split('.')[3]) - 1);
      }
      const counts = perServer(live.servers, names);
      assert.equal(counts[0]! + counts[1]!, N, 'each name asked once, of one upstream');
      assert.deepEqual(
        counts,
        [0, 1].map((i) => servedBy.filter((s) => s === i).length),
        'answers came from the server that logged them',
      );
      c.check(servedBy, counts);
      // Cache hits never reach a server: the counts stay.
      for (const name of names.slice(0, 10)) await live.ask(name);
      assert.deepEqual(perServer(live.servers, names), counts);
    });
  });
}

// --- max_concurrent ---------------------------------------------------------------------------

test('max_concurrent 3: with the upstream holding three replies, the 4th distinct query is REFUSED and not sent', async () => {
  await withLive({ pool: { maxConcurrent: 3 } }, async (live) => {
    const [server] = live.servers as [ScriptedUpstream];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const names = Array.from({ length: 4 }, () => fresh('limit'));
    for (const name of names)
      server.script(name, 'A', { ...answer([a(name, '192.0.2.9')]), until: held });

    const first = names.slice(0, 3).map((name) => live.ask(name));
    await Promise.all(names.slice(0, 3).map((name) => server.nextQuery((q) => q.name === name)));
    const over = await live.ask(names[3]!);
    assert.equal(over.rcode, 'REFUSED');
    assert.equal(server.count(names[3]!, 'A'), 0, 'the REFUSED query never went upstream');
    assert.equal(live.pool.stats.refusedOverLimit, 1);

    release();
    assert.deepEqual(
      (await Promise.all(first)).map((s) => s.rcode),
      ['NOERROR', 'NOERROR', 'NOERROR'],
    );
    // REFUSED is not cached (RFC 8767 §4: not a refresh of the data): once there is room, it goes up.
    assert.deepEqual(addressesOf(await live.ask(names[3]!)), ['192.0.2.9']);
    assert.equal(server.count(names[3]!, 'A'), 1);
  });
});
