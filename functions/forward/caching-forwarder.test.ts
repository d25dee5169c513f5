import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import type { Answer } from 'dns-packet';
import type { Rcode, Sections } from '../core/sections.ts';
import type { ForwardFlags, ForwardQuestion } from '../core/forwarder.ts';
import { CachingForwarder } from './caching-forwarder.ts';
import { ForwardCache } from './forward-cache.ts';
import type { ForwardCacheOptions } from './cache-options.ts';

const T0 = 1_700_000_000_000;
const S = 1000;
const Q: ForwardQuestion = { name: 'example.com', type: 'A', class: 'IN' };
const OFF: ForwardFlags = { cd: false, do: false };

const a = (ttl: number, data = '192.0.2.1'): Answer => ({
  name: 'example.com',
  type: 'A',
  class: 'IN',
  ttl,
  data,
});
const soa = (minimum: number): Answer => ({
  name: 'example.com',
  type: 'SOA',
  class: 'IN',
  ttl: 3600,
  data: {
    mname: 'ns.example.com',
    rname: 'host.example.com',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum,
  },
});
const sections = (rcode: Rcode, answers: Answer[] = [], authorities: Answer[] = []): Sections => ({
  rcode,
  aa: false,
  answers,
  authorities,
  additionals: [],
});
const positive = (ttl = 300, data = '192.0.2.1') => sections('NOERROR', [a(ttl, data)]);
const nxdomain = (minimum = 300) => sections('NXDOMAIN', [], [soa(minimum)]);

/** What the scripted upstream does for one request. */
type Step = Sections | Error | 'hold';

/**
 * The upstream pool as a script: each request takes the next step; 'hold' leaves it pending
 * until `release`. Counts requests; a request past the end of the script fails the test.
 */
function scripted(steps: Step[]) {
  const calls: { question: ForwardQuestion; flags: ForwardFlags }[] = [];
  const held: ((s: Sections) => void)[] = [];
  const ask = (question: ForwardQuestion, flags: ForwardFlags): Promise<Sections> => {
    calls.push({ question, flags });
    const step = steps.shift();
    if (step === undefined)
      return Promise.reject(new Error(`unexpected upstream request ${calls.length}`));
    if (step === 'hold') return new Promise((resolve) => held.push(resolve));
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const release = (s: Sections) => held.shift()!(s);
  return { ask, calls, release, left: () => steps.length };
}

function setup(steps: Step[], options: ForwardCacheOptions = {}) {
  const upstream = scripted(steps);
  const clock = { t: T0 };
  const forwarder = new CachingForwarder({
    cache: new ForwardCache(options),
    ask: upstream.ask,
    now: () => clock.t,
    handles: (name) => name === 'example.com' || name.endsWith('.example.com'),
  });
  const at = (seconds: number) => {
    clock.t = T0 + seconds * S;
  };
  return { forwarder, upstream, at };
}

const ttls = (s: Sections) =>
  [...s.answers, ...s.authorities].map((r) => (r as { ttl?: number }).ttl);
const data = (s: Sections) => s.answers.map((r) => (r as { data?: unknown }).data);

test('a miss asks upstream; hits answer from the cache with TTLs decremented', async () => {
  const { forwarder, upstream, at } = setup([positive(300)]);
  const first = await forwarder.forward(Q, OFF);
  assert.deepEqual(ttls(first), [300]);
  at(10);
  assert.deepEqual(
    ttls(await forwarder.forward({ ...Q, name: 'EXAMPLE.com.' }, OFF)),
    [290],
    'the key ignores case',
  );
  at(299.999);
  assert.deepEqual(ttls(await forwarder.forward(Q, OFF)), [1]);
  assert.equal(upstream.calls.length, 1);
  assert.deepEqual(upstream.calls[0], { question: Q, flags: OFF });
  const c = forwarder.counters;
  assert.deepEqual([c.asks, c.hits, c.misses], [1, 2, 1]);
  assert.equal(forwarder.handles('www.example.com'), true);
  assert.equal(forwarder.handles('example.org'), false);
});

test('1,000 concurrent identical misses send one upstream request', async () => {
  const { forwarder, upstream } = setup(['hold']);
  const names = ['example.com', 'EXAMPLE.COM', 'Example.Com.'];
  const pending = Array.from({ length: 1000 }, (_, i) =>
    forwarder.forward({ ...Q, name: names[i % names.length]! }, OFF),
  );
  await turn();
  assert.equal(upstream.calls.length, 1);
  assert.equal(forwarder.inFlight, 1);
  upstream.release(positive(300));
  const answers = await Promise.all(pending);
  assert.equal(upstream.calls.length, 1);
  assert.equal(answers.length, 1000);
  for (const answer of answers) assert.deepEqual(data(answer), ['192.0.2.1']);
  assert.notEqual(answers[0]!.answers, answers[1]!.answers, 'each query gets its own arrays');
  assert.deepEqual(
    [forwarder.counters.asks, forwarder.counters.coalesced, forwarder.inFlight],
    [1, 999, 0],
  );
});

test('CD and DO are separate keys: separate requests, separate answers', async () => {
  const { forwarder, upstream } = setup([
    positive(300, '192.0.2.1'),
    positive(300, '192.0.2.2'),
    positive(300, '192.0.2.3'),
  ]);
  const flags: ForwardFlags[] = [OFF, { cd: false, do: true }, { cd: true, do: false }];
  const first = await Promise.all(flags.map((f) => forwarder.forward(Q, f)));
  const again = await Promise.all(flags.map((f) => forwarder.forward(Q, f)));
  assert.deepEqual(first.map(data), [['192.0.2.1'], ['192.0.2.2'], ['192.0.2.3']]);
  assert.deepEqual(again.map(data), first.map(data));
  assert.deepEqual(
    upstream.calls.map((c) => c.flags),
    flags,
  );
});

test('prefetch: a popular entry is refreshed once, in the background, while the cache answers', async () => {
  const { forwarder, upstream, at } = setup([positive(100, '192.0.2.1'), 'hold'], {
    prefetch: { amount: 2 },
  });
  await forwarder.forward(Q, OFF);
  at(91);
  await forwarder.forward(Q, OFF);
  at(92);
  const due = await forwarder.forward(Q, OFF); // second hit in the last 10%: prefetch due
  assert.deepEqual(ttls(due), [8], 'answered from the cache, not from the refresh');
  assert.equal(upstream.calls.length, 2);
  at(93);
  for (let i = 0; i < 5; i++)
    assert.deepEqual(data(await forwarder.forward(Q, OFF)), ['192.0.2.1']);
  assert.equal(upstream.calls.length, 2, 'one refresh per key');
  upstream.release(positive(100, '192.0.2.9'));
  await turn();
  assert.equal(forwarder.inFlight, 0);
  at(101); // past the first answer's lifetime: the refreshed one answers
  const after = await forwarder.forward(Q, OFF);
  assert.deepEqual([data(after), ttls(after)], [['192.0.2.9'], [92]]);
  assert.equal(upstream.calls.length, 2);
  assert.deepEqual([forwarder.counters.prefetches, forwarder.counters.prefetchesDone], [1, 1]);
});

test('prefetch: a refresh that fails or denies keeps the fresh answer', async () => {
  for (const refresh of [sections('SERVFAIL'), new Error('timeout'), nxdomain()]) {
    const { forwarder, upstream, at } = setup([positive(100), refresh, nxdomain()], {
      prefetch: { amount: 1 },
    });
    await forwarder.forward(Q, OFF);
    at(95);
    await forwarder.forward(Q, OFF);
    await turn();
    assert.equal(upstream.calls.length, 2, String(refresh));
    at(99);
    assert.deepEqual(
      data(await forwarder.forward(Q, OFF)),
      ['192.0.2.1'],
      `${String(refresh)}: the positive answer stands`,
    );
    at(100);
    assert.equal(
      (await forwarder.forward(Q, OFF)).rcode,
      'NXDOMAIN',
      'expired: asked again, the denial replaces it',
    );
    assert.equal(upstream.left(), 0);
  }
});

test('serve-stale: only after the upstream failed, TTL 30, a recheck timer, until the cap', async () => {
  for (const failure of [new Error('timeout'), sections('SERVFAIL')]) {
    const name = failure instanceof Error ? 'rejection' : 'SERVFAIL';
    const { forwarder, upstream, at } = setup(
      [positive(60), failure, failure, positive(60, '192.0.2.2'), failure],
      { serveStaleMs: 3600 * S },
    );
    await forwarder.forward(Q, OFF);
    at(61);
    const stale = await forwarder.forward(Q, OFF);
    assert.equal(upstream.calls.length, 2, `${name}: expired, so the upstream is asked first`);
    assert.deepEqual([stale.rcode, ttls(stale)], ['NOERROR', [30]], name);
    at(65.999);
    assert.deepEqual(
      ttls(await forwarder.forward(Q, OFF)),
      [30],
      `${name}: within the 5 s recheck timer, stale without asking`,
    );
    assert.equal(upstream.calls.length, 2, name);
    at(66);
    assert.deepEqual(
      ttls(await forwarder.forward(Q, OFF)),
      [30],
      `${name}: asked again, failed again`,
    );
    assert.equal(upstream.calls.length, 3, name);
    at(72);
    assert.deepEqual(
      data(await forwarder.forward(Q, OFF)),
      ['192.0.2.2'],
      `${name}: the upstream is back`,
    );
    at(72 + 60 + 3600); // stored at 72 s, 60 s lifetime, 1 h of serve-stale
    assert.equal(
      (await forwarder.forward(Q, OFF)).rcode,
      'SERVFAIL',
      `${name}: past the stale cap`,
    );
    assert.equal(upstream.left(), 0, name);
    assert.deepEqual(
      [forwarder.counters.staleServed, forwarder.counters.upstreamFailures],
      [3, 3],
      name,
    );
  }
});

test('each query that meets a failure gets the stale answer', async () => {
  const { forwarder, upstream, at } = setup([positive(60), 'hold']);
  await forwarder.forward(Q, OFF);
  at(61);
  const pending = Array.from({ length: 10 }, () => forwarder.forward(Q, OFF));
  await turn();
  upstream.release(sections('SERVFAIL'));
  const answers = await Promise.all(pending);
  assert.deepEqual(
    answers.map(ttls),
    Array.from({ length: 10 }, () => [30]),
  );
  assert.equal(forwarder.counters.staleServed, 10);
});

test('SERVFAIL is cached for its duration, then the upstream is asked again', async () => {
  const { forwarder, upstream, at } = setup([new Error('down'), positive(300)], {
    servfailMs: 2 * S,
  });
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'SERVFAIL');
  at(1.999);
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'SERVFAIL');
  assert.equal(upstream.calls.length, 1);
  at(2);
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'NOERROR');
  assert.equal(upstream.calls.length, 2);
});

test('negative answers are cached for the SOA minimum (RFC 2308 §5)', async () => {
  const { forwarder, upstream, at } = setup([nxdomain(30), sections('NOERROR', [], [soa(20)])]);
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'NXDOMAIN');
  at(29.999);
  const cached = await forwarder.forward(Q, OFF);
  assert.deepEqual([cached.rcode, ttls(cached)], ['NXDOMAIN', [1]]);
  at(30);
  const nodata = await forwarder.forward(Q, OFF);
  assert.deepEqual([nodata.rcode, nodata.answers.length, ttls(nodata)], ['NOERROR', 0, [20]]);
  assert.equal(upstream.calls.length, 2);
});

test('REFUSED (a full pool) is passed on, not cached; a stale answer is preferred to it', async () => {
  const { forwarder, upstream, at } = setup([
    sections('REFUSED'),
    positive(60),
    sections('REFUSED'),
  ]);
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'REFUSED');
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'NOERROR', 'not cached: asked again');
  at(61);
  assert.deepEqual(ttls(await forwarder.forward(Q, OFF)), [30]);
  assert.equal(upstream.calls.length, 3);
});

test('answers from the cache are marked `cached` (CoreDNS cache wrote them); upstream answers are not', async () => {
  const { forwarder, at } = setup([positive(60), new Error('down'), new Error('down')], {
    servfailMs: 2 * S,
  });
  const marks: [string, Sections][] = [
    ['a miss, from upstream', await forwarder.forward(Q, OFF)],
    ['a fresh hit', await forwarder.forward(Q, OFF)],
  ];
  at(61);
  marks.push(['stale: the upstream failed', await forwarder.forward(Q, OFF)]);
  marks.push(['stale: the failure remembered', await forwarder.forward(Q, OFF)]);
  const other = { ...Q, name: 'other.example.com' };
  marks.push(['SERVFAIL from the upstream', await forwarder.forward(other, OFF)]);
  marks.push(['SERVFAIL remembered', await forwarder.forward(other, OFF)]);
  assert.deepEqual(
    marks.map(([what, s]) => [what, s.rcode, s.cached === true]),
    [
      ['a miss, from upstream', 'NOERROR', false],
      ['a fresh hit', 'NOERROR', true],
      ['stale: the upstream failed', 'NOERROR', true],
      ['stale: the failure remembered', 'NOERROR', true],
      ['SERVFAIL from the upstream', 'SERVFAIL', false],
      ['SERVFAIL remembered', 'SERVFAIL', true],
    ],
  );
});

test('forward never rejects', async () => {
  const forwarder = new CachingForwarder({
    cache: new ForwardCache(),
    ask: () => {
      throw new Error('synchronous throw');
    },
    now: () => T0,
    handles: () => true,
  });
  assert.equal((await forwarder.forward(Q, OFF)).rcode, 'SERVFAIL');
  class BrokenCache extends ForwardCache {
    override lookup(): never {
      throw new Error('broken');
    }
  }
  const broken = new CachingForwarder({
    cache: new BrokenCache(),
    ask: async () => positive(),
    now: () => T0,
    handles: () => true,
  });
  assert.equal((await broken.forward(Q, OFF)).rcode, 'SERVFAIL');
});

test('RFC 8767 §5 client response timer: a slow upstream gets the stale answer out, then refreshes the cache', async () => {
  const upstream = scripted([positive(300), 'hold']);
  const clock = { t: T0 };
  const forwarder = new CachingForwarder({
    cache: new ForwardCache(),
    ask: upstream.ask,
    now: () => clock.t,
    handles: () => true,
    staleAfterMs: 20,
  });
  await forwarder.forward(Q, OFF);
  clock.t = T0 + 400 * S; // expired 100 s ago: stale, servable
  const slow = await forwarder.forward(Q, OFF); // the upstream holds: the timer answers
  assert.deepEqual(
    [slow.rcode, slow.answers.map((r) => (r as { ttl?: number }).ttl)],
    ['NOERROR', [30]],
  );
  assert.equal(upstream.calls.length, 2, 'the refresh went upstream');
  upstream.release(positive(300, '192.0.2.9'));
  await turn();
  const fresh = await forwarder.forward(Q, OFF);
  assert.deepEqual(
    fresh.answers.map((r) => [(r as { ttl?: number }).ttl, (r as { data: string }).data]),
    [[300, '192.0.2.9']],
  );
  assert.equal(upstream.calls.length, 2, 'the refreshed answer is cached');
});

test('marks for the answer cache: fresh answers say how long a copy may answer, stale ones say stale', async () => {
  const { forwarder, upstream, at } = setup([positive(60), 'hold', sections('REFUSED')], {
    prefetch: { amount: 5 },
  });
  const first = await forwarder.forward(Q, OFF);
  assert.deepEqual(
    [first.stale, first.cacheableMs],
    [undefined, 54 * S],
    'up to the prefetch window (the last 10%)',
  );
  at(10);
  assert.equal((await forwarder.forward(Q, OFF)).cacheableMs, 44 * S);
  at(61);
  const pending = Array.from({ length: 3 }, () => forwarder.forward(Q, OFF));
  await turn();
  upstream.release(sections('SERVFAIL'));
  for (const s of await Promise.all(pending))
    assert.deepEqual(
      [s.stale, s.cacheableMs, ttls(s)],
      [true, undefined, [30]],
      'each waiter gets a stale answer',
    );
  at(62);
  const recheck = await forwarder.forward(Q, OFF);
  assert.deepEqual([recheck.stale, ttls(recheck)], [true, [30]], 'within the recheck timer');
  at(70);
  const refused = await forwarder.forward(Q, OFF);
  assert.deepEqual(
    [refused.rcode, refused.stale],
    ['NOERROR', true],
    'REFUSED: the stale answer is preferred',
  );
  assert.equal(upstream.left(), 0);
});

test('waiters of one request each get the answer with its cacheableMs', async () => {
  const { forwarder, upstream } = setup(['hold']);
  const pending = Array.from({ length: 3 }, () => forwarder.forward(Q, OFF));
  await turn();
  upstream.release(positive(120));
  assert.deepEqual(
    (await Promise.all(pending)).map((s) => s.cacheableMs),
    [120 * S, 120 * S, 120 * S],
  );
});
