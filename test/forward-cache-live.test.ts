// The forward cache over real sockets (docs/architecture.md §6.12): scripted resolvers on
// 127.0.0.1, real UdpUpstream / TcpUpstream, an UpstreamPool and a CachingForwarder whose clock
// the test moves (test/support/live-forwarder.ts), so every expiry is exact and nothing sleeps.
// TTLs decremented from the cache; serve-stale (RFC 8767) when every upstream is down, up to its
// cap; negative caching by the SOA minimum (RFC 2308 §5); single-flight of a 1,000-query burst;
// SERVFAIL remembered briefly, and never in place of a fresh answer. Only 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import {
  a,
  answer,
  drop,
  servfail,
  soa,
  type Behaviour,
  type ScriptedUpstream,
} from './support/scripted-upstream.ts';
import { addressesOf, ttlsOf, withLive } from './support/live-forwarder.ts';

const S = 1000;
let serial = 0;
/** A fresh name per use, so scripts and log counts never meet. */
const fresh = (label: string): string => `${label}-${++serial}.example.com`;

// --- answers pass through, TTLs decremented from the cache --------------------------------------

const ttlCases: {
  what: string;
  ttl: number;
  first: number;
  after: number;
  then: number;
  asked: number;
}[] = [
  { what: '100 s later', ttl: 300, first: 300, after: 100, then: 200, asked: 1 },
  { what: 'in its last second', ttl: 300, first: 300, after: 299, then: 1, asked: 1 },
  {
    what: 'at expiry: asked again, the new TTL',
    ttl: 300,
    first: 300,
    after: 300,
    then: 300,
    asked: 2,
  },
  {
    what: 'above the success cap (3600 s)',
    ttl: 7200,
    first: 3600,
    after: 100,
    then: 3500,
    asked: 1,
  },
];

for (const transport of ['udp', 'tcp'] as const) {
  for (const c of ttlCases) {
    test(`${transport}: TTL ${c.ttl} from the upstream, ${c.what}: TTL ${c.then}, ${c.asked} upstream quer${c.asked === 1 ? 'y' : 'ies'}`, async () => {
      await withLive({ transport }, async (live) => {
        const [server] = live.servers as [ScriptedUpstream];
        const name = fresh('ttl');
        server.script(name, 'A', answer([a(name, '192.0.2.1', c.ttl)]));
        const first = await live.ask(name);
        assert.deepEqual(
          [first.rcode, addressesOf(first), ttlsOf(first)],
          ['NOERROR', ['192.0.2.1'], [c.first]],
        );
        live.clock.ms += c.after * S;
        const later = await live.ask(name);
        assert.deepEqual(
          [later.rcode, addressesOf(later), ttlsOf(later)],
          ['NOERROR', ['192.0.2.1'], [c.then]],
        );
        assert.equal(server.count(name, 'A', transport), c.asked);
      });
    });
  }
}

// --- serve-stale when every upstream is down, and its cap -------------------------------------

const STALE_CAP_MS = 3_600_000;
/** Ways for both upstreams to be down after their first answer. */
const downs: {
  how: string;
  timeoutMs?: number;
  kill: (servers: ScriptedUpstream[], name: string) => Promise<void>;
}[] = [
  {
    how: 'servers closed (nothing listening)',
    kill: async (servers) => void (await Promise.all(servers.map((s) => s.close()))),
  },
  {
    how: 'queries dropped (read timeout)',
    timeoutMs: 250,
    kill: async (servers, name) => servers.forEach((s) => s.script(name, 'A', drop())),
  },
  {
    how: 'SERVFAIL from both',
    kill: async (servers, name) => servers.forEach((s) => s.script(name, 'A', servfail())),
  },
];

for (const d of downs) {
  test(`serve-stale: every upstream down (${d.how}): the expired answer with TTL 30, until the cap; then SERVFAIL`, async () => {
    const cache = { serveStaleMs: STALE_CAP_MS, servfailMs: 5 * S };
    await withLive(
      { servers: 2, timeoutMs: d.timeoutMs, pool: { policy: 'sequential', maxFails: 0 }, cache },
      async (live) => {
        const name = fresh('stale');
        for (const s of live.servers) s.script(name, 'A', answer([a(name, '192.0.2.7', 60)]));
        assert.deepEqual(ttlsOf(await live.ask(name)), [60]);
        await d.kill(live.servers, name);

        live.clock.ms = 61 * S; // expired; the upstreams are asked and fail
        const stale = await live.ask(name);
        assert.deepEqual(
          [stale.rcode, addressesOf(stale), ttlsOf(stale)],
          ['NOERROR', ['192.0.2.7'], [30]],
          'RFC 8767 §4: stale, TTL 30',
        );
        assert.equal(live.forwarder.counters.asks, 2);
        assert.equal(
          live.pool.stats.failures[live.upstreams[1]!.name],
          d.how.startsWith('SERVFAIL') ? 0 : 1,
          'both upstreams were tried',
        );

        live.clock.ms = 62 * S; // within servfailMs of the failure: stale again, no new attempt
        assert.deepEqual(ttlsOf(await live.ask(name)), [30]);
        assert.equal(live.forwarder.counters.asks, 2);

        live.clock.ms = 60 * S + STALE_CAP_MS - 1; // the cap's last millisecond: asked again, still stale
        assert.deepEqual(ttlsOf(await live.ask(name)), [30]);
        assert.equal(live.forwarder.counters.asks, 3);
        live.clock.ms = 60 * S + STALE_CAP_MS; // past the cap (and within servfailMs of the last failure: not asked)
        const gone = await live.ask(name);
        assert.deepEqual([gone.rcode, gone.answers], ['SERVFAIL', []]);
        assert.deepEqual(
          [live.forwarder.counters.staleServed, live.forwarder.counters.asks],
          [3, 3],
        );
        live.clock.ms += 5 * S; // asked again: still down, still SERVFAIL
        assert.equal((await live.ask(name)).rcode, 'SERVFAIL');
        assert.deepEqual(
          [live.forwarder.counters.staleServed, live.forwarder.counters.asks],
          [3, 4],
        );
      },
    );
  });
}

// --- negative caching follows the SOA minimum (RFC 2308 §5) -------------------------------------

const negatives: {
  what: string;
  behaviour: (zone: string) => Behaviour;
  rcode: string;
  cachedFor: number;
}[] = [
  {
    what: 'NXDOMAIN, SOA TTL 3600, minimum 60',
    behaviour: (z) => ({ rcode: 'NXDOMAIN', authorities: [soa(z, 60, 3600)] }),
    rcode: 'NXDOMAIN',
    cachedFor: 60,
  },
  {
    what: 'NXDOMAIN, SOA TTL 30, minimum 3600 (the smaller)',
    behaviour: (z) => ({ rcode: 'NXDOMAIN', authorities: [soa(z, 3600, 30)] }),
    rcode: 'NXDOMAIN',
    cachedFor: 30,
  },
  {
    what: 'NODATA, SOA TTL 3600, minimum 60',
    behaviour: (z) => ({ rcode: 'NOERROR', authorities: [soa(z, 60, 3600)] }),
    rcode: 'NOERROR',
    cachedFor: 60,
  },
  {
    what: 'NXDOMAIN without an SOA (not cached)',
    behaviour: () => ({ rcode: 'NXDOMAIN' }),
    rcode: 'NXDOMAIN',
    cachedFor: 0,
  },
];

for (const c of negatives) {
  test(`negative caching: ${c.what}: cached ${c.cachedFor} s by the clock, asked again after`, async () => {
    await withLive({}, async (live) => {
      const [server] = live.servers as [ScriptedUpstream];
      const name = fresh('neg');
      server.script(name, 'A', c.behaviour('example.com'));
      const soaTtl = (s: { authorities: Answer[] }) =>
        s.authorities.filter((r) => r.type === 'SOA').map((r) => r.ttl);
      const first = await live.ask(name);
      assert.deepEqual(
        [first.rcode, first.answers, soaTtl(first)],
        [c.rcode, [], c.cachedFor ? [c.cachedFor] : []],
      );
      if (c.cachedFor > 0) {
        live.clock.ms = (c.cachedFor - 1) * S;
        const cached = await live.ask(name);
        assert.deepEqual(
          [cached.rcode, soaTtl(cached)],
          [c.rcode, [1]],
          'from the cache, the SOA aged',
        );
        assert.equal(server.count(name, 'A'), 1);
        live.clock.ms = c.cachedFor * S;
      }
      assert.equal((await live.ask(name)).rcode, c.rcode);
      assert.equal(server.count(name, 'A'), 2, 'asked again');
    });
  });
}

// --- single-flight -------------------------------------------------------------------------------

test('a burst of 1,000 identical queries for a missing entry sends one upstream query', async () => {
  await withLive({}, async (live) => {
    const [server] = live.servers as [ScriptedUpstream];
    const name = fresh('burst');
    let release!: () => void;
    server.script(name, 'A', {
      ...answer([a(name, '192.0.2.8')]),
      until: new Promise<void>((resolve) => (release = resolve)),
    });
    const replies = Array.from({ length: 1000 }, () => live.ask(name));
    await server.nextQuery((q) => q.name === name);
    release();
    const all = await Promise.all(replies);
    assert.ok(
      all.every((r) => r.rcode === 'NOERROR' && addressesOf(r).join() === '192.0.2.8'),
      'every query answered',
    );
    assert.equal(server.count(name, 'A'), 1);
    assert.deepEqual([live.forwarder.counters.asks, live.forwarder.counters.coalesced], [1, 999]);
  });
});

// --- SERVFAIL: cached briefly, never in place of a fresh answer ----------------------------------

test('SERVFAIL from the upstream is remembered for servfailMs (not asked again), then asked again', async () => {
  await withLive({ cache: { servfailMs: 2 * S } }, async (live) => {
    const [server] = live.servers as [ScriptedUpstream];
    const name = fresh('servfail');
    server.script(name, 'A', (q) => (q.n === 1 ? servfail() : answer([a(name, '192.0.2.5')])));
    const steps: { at: number; rcode: string; asked: number }[] = [
      { at: 0, rcode: 'SERVFAIL', asked: 1 },
      { at: 2 * S - 1, rcode: 'SERVFAIL', asked: 1 },
      { at: 2 * S, rcode: 'NOERROR', asked: 2 },
    ];
    for (const step of steps) {
      live.clock.ms = step.at;
      assert.equal((await live.ask(name)).rcode, step.rcode, `at ${step.at} ms`);
      assert.equal(server.count(name, 'A'), step.asked, `at ${step.at} ms`);
    }
    assert.equal(
      live.pool.isUp(live.upstreams[0]!.name),
      true,
      'a SERVFAIL is an answer: the upstream stays up',
    );
  });
});

test('a SERVFAIL (from a prefetch) never replaces a fresh positive answer', async () => {
  await withLive(
    { cache: { prefetch: { amount: 1, percentage: 10 }, servfailMs: 5 * S } },
    async (live) => {
      const [server] = live.servers as [ScriptedUpstream];
      const name = fresh('keep');
      server.script(name, 'A', (q) =>
        q.n === 1 ? answer([a(name, '192.0.2.6', 60)]) : servfail(),
      );
      assert.deepEqual(ttlsOf(await live.ask(name)), [60]);

      live.clock.ms = 55 * S; // 5 s of 60 left (<= 10%): a hit that refreshes in the background
      assert.deepEqual(ttlsOf(await live.ask(name)), [5]);
      await server.nextQuery((q) => q.name === name && q.n === 2);
      await live.settled();
      assert.deepEqual(
        [live.forwarder.counters.prefetchesDone, live.forwarder.counters.upstreamFailures],
        [1, 1],
        'the refresh got SERVFAIL',
      );

      live.clock.ms = 56 * S;
      const after = await live.ask(name);
      assert.deepEqual(
        [after.rcode, addressesOf(after), ttlsOf(after)],
        ['NOERROR', ['192.0.2.6'], [4]],
        'the fresh answer stands',
      );
      assert.equal(server.count(name, 'A'), 2, 'and no new upstream query');
    },
  );
});
