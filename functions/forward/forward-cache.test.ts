import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { Rcode, Sections } from '../core/sections.ts';
import { cacheKey, ForwardCache, type CacheLookup } from './forward-cache.ts';
import type { ForwardCacheOptions } from './cache-options.ts';

const T0 = 1_700_000_000_000;
const S = 1000;
const KEY = cacheKey({ name: 'example.com', type: 'A', class: 'IN' }, { cd: false, do: false });

const a = (ttl: number, name = 'example.com', data = '192.0.2.1'): Answer => ({
  name,
  type: 'A',
  class: 'IN',
  ttl,
  data,
});
const cname = (ttl: number): Answer => ({
  name: 'example.com',
  type: 'CNAME',
  class: 'IN',
  ttl,
  data: 'gone.example.net',
});
const soa = (ttl: number, minimum: number): Answer => ({
  name: 'example.com',
  type: 'SOA',
  class: 'IN',
  ttl,
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
const opt = (): Answer =>
  ({
    name: '.',
    type: 'OPT',
    udpPayloadSize: 1232,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    options: [],
  }) as unknown as Answer;

const sections = (
  rcode: Rcode,
  answers: Answer[] = [],
  authorities: Answer[] = [],
  additionals: Answer[] = [],
): Sections => ({
  rcode,
  aa: false,
  answers,
  authorities,
  additionals,
});
const positive = (ttl = 300) => sections('NOERROR', [a(ttl)]);
const nxdomain = (soaTtl = 3600, minimum = 300) => sections('NXDOMAIN', [], [soa(soaTtl, minimum)]);
const nodata = (soaTtl = 3600, minimum = 300) => sections('NOERROR', [], [soa(soaTtl, minimum)]);

/** TTLs of every record but OPT, section after section. */
const ttls = (s: Sections): (number | undefined)[] =>
  [...s.answers, ...s.authorities, ...s.additionals]
    .filter((r) => r.type !== 'OPT')
    .map((r) => (r as { ttl?: number }).ttl);

function hit(found: CacheLookup): Sections & { prefetch: boolean } {
  assert.equal(found.status, 'hit');
  return found.status === 'hit'
    ? { ...found.sections, prefetch: found.prefetch }
    : (undefined as never);
}

test('TTLs decrease with the age of the entry, never below 0 (RFC 1035 §6.1, RFC 2181 §8)', () => {
  const cases: { name: string; stored: Sections; at: number; ttls: number[] | 'miss' }[] = [
    { name: 'just stored', stored: positive(300), at: 0, ttls: [300] },
    { name: 'less than a second: whole seconds only', stored: positive(300), at: 999, ttls: [300] },
    { name: 'one second', stored: positive(300), at: S, ttls: [299] },
    { name: 'last millisecond', stored: positive(300), at: 300 * S - 1, ttls: [1] },
    { name: 'expired', stored: positive(300), at: 300 * S, ttls: 'miss' },
    {
      name: 'raised by the 5 s floor: shown TTL stops at 0',
      stored: positive(1),
      at: 4 * S,
      ttls: [0],
    },
    { name: 'floor reached', stored: positive(1), at: 5 * S, ttls: 'miss' },
    {
      name: 'records shown no longer than the entry lives',
      stored: sections('NOERROR', [a(300), a(60, 'example.com', '192.0.2.2')]),
      at: 30 * S,
      ttls: [30, 30],
    },
    {
      name: 'OPT neither ages nor bounds the lifetime',
      stored: sections('NOERROR', [a(300)], [], [opt()]),
      at: 100 * S,
      ttls: [200],
    },
    {
      name: 'additional records bound the lifetime',
      stored: sections('NOERROR', [a(300)], [], [a(20, 'ns.example.com')]),
      at: 10 * S,
      ttls: [10, 10],
    },
  ];
  for (const c of cases) {
    const cache = new ForwardCache();
    cache.store(KEY, c.stored, T0);
    const found = cache.lookup(KEY, T0 + c.at);
    if (c.ttls === 'miss') assert.equal(found.status, 'miss', c.name);
    else assert.deepEqual(ttls(hit(found)), c.ttls, c.name);
  }
});

test('OPT records come back untouched, and the cache keeps its own copy', () => {
  const cache = new ForwardCache();
  const stored = sections('NOERROR', [a(300)], [], [opt()]);
  cache.store(KEY, stored, T0);
  (stored.answers[0] as { ttl: number }).ttl = 1;
  const found = hit(cache.lookup(KEY, T0 + 10 * S));
  assert.deepEqual(found.additionals, [opt()]);
  assert.deepEqual(ttls(found), [290]);
  assert.equal(found.aa, false, 'forwarded answers are not authoritative');
});

test('lifetimes: negative TTL from the SOA (RFC 2308 §5), caps and floors per kind', () => {
  const cases: {
    name: string;
    options?: ForwardCacheOptions;
    stored: Sections;
    lifetime: number | undefined;
    soaTtl?: number;
  }[] = [
    {
      name: 'NXDOMAIN: SOA MINIMUM smaller than SOA TTL',
      stored: nxdomain(3600, 300),
      lifetime: 300,
      soaTtl: 300,
    },
    {
      name: 'NXDOMAIN: SOA TTL smaller than MINIMUM',
      stored: nxdomain(60, 300),
      lifetime: 60,
      soaTtl: 60,
    },
    { name: 'NODATA: SOA MINIMUM', stored: nodata(3600, 900), lifetime: 900, soaTtl: 900 },
    {
      name: 'NXDOMAIN behind a CNAME: the CNAME TTL bounds it',
      stored: sections('NXDOMAIN', [cname(30)], [soa(3600, 300)]),
      lifetime: 30,
    },
    {
      name: 'NXDOMAIN without SOA: not cached (RFC 2308 §5 SHOULD NOT)',
      stored: sections('NXDOMAIN'),
      lifetime: undefined,
    },
    { name: 'NODATA without SOA: not cached', stored: sections('NOERROR'), lifetime: undefined },
    {
      name: 'denial: default cap 1800 s (CoreDNS)',
      stored: nxdomain(86400, 86400),
      lifetime: 1800,
      soaTtl: 1800,
    },
    { name: 'denial: default floor 5 s (CoreDNS)', stored: nxdomain(3600, 0), lifetime: 5 },
    { name: 'positive: default cap 3600 s (CoreDNS)', stored: positive(86400), lifetime: 3600 },
    { name: 'positive: default floor 5 s (CoreDNS)', stored: positive(0), lifetime: 5 },
    {
      name: 'success TTL',
      options: { success: { maxTtl: 60, minTtl: 10 } },
      stored: positive(3600),
      lifetime: 60,
    },
    {
      name: 'success MINTTL',
      options: { success: { maxTtl: 60, minTtl: 10 } },
      stored: positive(1),
      lifetime: 10,
    },
    {
      name: 'success options leave denials alone',
      options: { success: { maxTtl: 60, minTtl: 10 } },
      stored: nxdomain(3600, 900),
      lifetime: 900,
    },
    {
      name: 'denial TTL',
      options: { denial: { maxTtl: 30, minTtl: 2 } },
      stored: nxdomain(3600, 900),
      lifetime: 30,
    },
    {
      name: 'denial MINTTL',
      options: { denial: { maxTtl: 30, minTtl: 2 } },
      stored: nodata(3600, 1),
      lifetime: 2,
    },
    {
      name: 'denial options leave positives alone',
      options: { denial: { maxTtl: 30, minTtl: 2 } },
      stored: positive(300),
      lifetime: 300,
    },
    {
      name: 'MINTTL 0 and TTL 0: not cached',
      options: { success: { minTtl: 0 } },
      stored: positive(0),
      lifetime: undefined,
    },
  ];
  for (const c of cases) {
    const cache = new ForwardCache(c.options);
    const answered = cache.store(KEY, c.stored, T0);
    assert.equal(answered.rcode, c.stored.rcode, c.name);
    if (c.lifetime === undefined) {
      assert.equal(cache.lookup(KEY, T0).status, 'miss', c.name);
      continue;
    }
    const first = hit(cache.lookup(KEY, T0 + c.lifetime * S - 1));
    assert.equal(first.rcode, c.stored.rcode, c.name);
    if (c.soaTtl !== undefined)
      assert.deepEqual(
        ttls(hit(cache.lookup(KEY, T0))),
        [c.soaTtl],
        `${c.name}: the SOA carries the negative TTL`,
      );
    assert.equal(cache.lookup(KEY, T0 + c.lifetime * S).status, 'miss', c.name);
  }
});

test('capacity: an LRU per kind, evictions counted per kind', () => {
  const cache = new ForwardCache({ success: { capacity: 2 }, denial: { capacity: 2 } });
  const key = (name: string) =>
    cacheKey({ name, type: 'A', class: 'IN' }, { cd: false, do: false });
  cache.store(key('a'), positive(), T0);
  cache.store(key('b'), positive(), T0);
  cache.store(key('x'), nxdomain(), T0);
  cache.store(key('y'), nxdomain(), T0);
  hit(cache.lookup(key('a'), T0)); // a is now the most recently used
  cache.store(key('c'), positive(), T0);
  assert.deepEqual(cache.counters.evictions, { positive: 1, negative: 0 });
  assert.deepEqual(
    ['a', 'b', 'c', 'x', 'y'].map((n) => cache.lookup(key(n), T0).status),
    ['hit', 'miss', 'hit', 'hit', 'hit'],
    'b was least recently used; positives never push out denials',
  );
  cache.store(key('z'), nxdomain(), T0);
  assert.deepEqual(cache.counters.evictions, { positive: 1, negative: 1 });
  assert.equal(cache.lookup(key('x'), T0).status, 'miss');
  assert.deepEqual(cache.sizes(), { positive: 2, negative: 2 });
  cache.fail(key('w'), T0);
  assert.deepEqual(
    cache.counters.evictions,
    { positive: 1, negative: 2 },
    'remembered failures count against the denial capacity',
  );
});

test('keys: case and trailing dot do not matter; type, class, CD and DO do', () => {
  const q = (name: string, type = 'A', klass = 'IN') => ({ name, type, class: klass });
  const off = { cd: false, do: false };
  assert.equal(cacheKey(q('Example.COM.'), off), cacheKey(q('example.com'), off));
  assert.equal(cacheKey(q('example.com', 'a', 'in'), off), cacheKey(q('example.com'), off));
  const distinct = [
    cacheKey(q('example.com'), off),
    cacheKey(q('example.com', 'AAAA'), off),
    cacheKey(q('example.com', 'A', 'CH'), off),
    cacheKey(q('example.com'), { cd: true, do: false }),
    cacheKey(q('example.com'), { cd: false, do: true }),
    cacheKey(q('example.com'), { cd: true, do: true }),
    cacheKey(q('example.co'), off),
  ];
  assert.equal(new Set(distinct).size, distinct.length);

  const cache = new ForwardCache();
  cache.store(cacheKey(q('EXAMPLE.com'), { cd: false, do: true }), positive(), T0);
  assert.equal(
    cache.lookup(cacheKey(q('example.COM.'), { cd: false, do: true }), T0).status,
    'hit',
  );
  assert.equal(
    cache.lookup(cacheKey(q('example.com'), off), T0).status,
    'miss',
    'DO answers carry RRSIGs: another key',
  );
  assert.equal(
    cache.lookup(cacheKey(q('example.com'), { cd: true, do: true }), T0).status,
    'miss',
    'CD answers skip validation: another key',
  );
});

test('prefetch: AMOUNT hits without a gap of DURATION, in the last PERCENTAGE of the lifetime, reported once', () => {
  const prefetch = { amount: 3, durationMs: 60 * S, percentage: 10 };
  const cases: { name: string; ttl: number; hitsAt: number[]; due: boolean[] }[] = [
    {
      name: 'three hits in the last 10%',
      ttl: 100,
      hitsAt: [91, 92, 93, 94],
      due: [false, false, true, false],
    },
    { name: 'two hits only', ttl: 100, hitsAt: [91, 92], due: [false, false] },
    {
      name: 'popular, but more than 10% left',
      ttl: 100,
      hitsAt: [80, 85, 89, 90.5],
      due: [false, false, false, true],
    },
    {
      name: 'a gap of DURATION resets the count',
      ttl: 100,
      hitsAt: [1, 2, 3, 95, 96],
      due: [false, false, false, false, false],
    },
    {
      name: 'gaps shorter than DURATION chain (CoreDNS)',
      ttl: 100,
      hitsAt: [1, 51, 91],
      due: [false, false, true],
    },
    {
      name: 'short TTL: at the latest 1 s before expiry',
      ttl: 5,
      hitsAt: [1, 2, 3.9, 4],
      due: [false, false, false, true],
    },
  ];
  for (const c of cases) {
    const cache = new ForwardCache({ prefetch, success: { minTtl: 0 } });
    cache.store(KEY, positive(c.ttl), T0);
    const due = c.hitsAt.map((at) => hit(cache.lookup(KEY, T0 + at * S)).prefetch);
    assert.deepEqual(due, c.due, c.name);
    assert.equal(cache.counters.prefetches, c.due.filter(Boolean).length, c.name);
  }
  const off = new ForwardCache();
  off.store(KEY, positive(100), T0);
  assert.deepEqual(
    [91, 92, 93, 99].map((at) => hit(off.lookup(KEY, T0 + at * S)).prefetch),
    [false, false, false, false],
    'no prefetch option: off',
  );
  assert.equal(off.counters.prefetches, 0);
});

test('prefetch: a refresh that failed is reported again once the recheck timer ran out', () => {
  const cache = new ForwardCache({ prefetch: { amount: 1 }, servfailMs: 5 * S });
  cache.store(KEY, positive(100), T0);
  assert.equal(hit(cache.lookup(KEY, T0 + 91 * S)).prefetch, true);
  cache.fail(KEY, T0 + 92 * S);
  assert.equal(hit(cache.lookup(KEY, T0 + 93 * S)).prefetch, false, 'within the recheck timer');
  assert.equal(hit(cache.lookup(KEY, T0 + 97 * S)).prefetch, true, 'after it');
  cache.store(KEY, positive(100), T0 + 98 * S);
  assert.equal(hit(cache.lookup(KEY, T0 + 99 * S)).prefetch, false, 'refreshed: a new lifetime');
});

test('serve-stale (RFC 8767): only when asked, TTL 30, until the cap', () => {
  const day = 86_400 * S;
  const cases: {
    name: string;
    options?: ForwardCacheOptions;
    stored: Sections;
    at: number;
    stale: number[] | 'none' | 'fresh';
  }[] = [
    { name: 'fresh: aged, not stale', stored: positive(60), at: 10 * S, stale: 'fresh' },
    { name: 'just expired', stored: positive(60), at: 60 * S, stale: [30] },
    {
      name: 'last millisecond of the default cap (1 day)',
      stored: positive(60),
      at: 60 * S + day - 1,
      stale: [30],
    },
    { name: 'cap reached', stored: positive(60), at: 60 * S + day, stale: 'none' },
    {
      name: 'serve_stale 1h',
      options: { serveStaleMs: 3600 * S },
      stored: positive(60),
      at: 60 * S + 3600 * S,
      stale: 'none',
    },
    {
      name: 'serve_stale 0: off',
      options: { serveStaleMs: 0 },
      stored: positive(60),
      at: 60 * S,
      stale: 'none',
    },
    {
      name: 'every record at 30, OPT untouched',
      stored: sections('NOERROR', [a(60)], [], [a(600, 'ns.example.com'), opt()]),
      at: 61 * S,
      stale: [30, 30],
    },
    { name: 'a denial is data too', stored: nxdomain(3600, 60), at: 61 * S, stale: [30] },
  ];
  for (const c of cases) {
    const cache = new ForwardCache(c.options);
    cache.store(KEY, c.stored, T0);
    if (c.stale !== 'fresh' && c.stale !== 'none')
      assert.equal(
        cache.lookup(KEY, T0 + c.at).status,
        'miss',
        `${c.name}: a lookup never answers stale`,
      );
    const stale = cache.stale(KEY, T0 + c.at);
    if (c.stale === 'none') assert.equal(stale, undefined, c.name);
    else if (c.stale === 'fresh') assert.deepEqual(ttls(stale!), [50], c.name);
    else {
      assert.deepEqual(ttls(stale!), c.stale, c.name);
      assert.equal(stale!.rcode, c.stored.rcode, c.name);
      assert.deepEqual(
        stale!.additionals.filter((r) => r.type === 'OPT'),
        c.stored.additionals.filter((r) => r.type === 'OPT'),
        c.name,
      );
    }
    assert.equal(cache.counters.staleServed, Array.isArray(c.stale) ? 1 : 0, c.name);
  }
});

test('an entry past the stale cap is dropped on lookup', () => {
  const cache = new ForwardCache({ serveStaleMs: 10 * S });
  cache.store(KEY, positive(60), T0);
  assert.equal(cache.lookup(KEY, T0 + 65 * S).status, 'miss');
  assert.deepEqual(cache.sizes(), { positive: 1, negative: 0 }, 'kept for serve-stale');
  assert.equal(cache.lookup(KEY, T0 + 70 * S).status, 'miss');
  assert.deepEqual(cache.sizes(), { positive: 0, negative: 0 });
});

test('upstream failures are remembered for the servfail duration (RFC 2308 §7.1, RFC 9520), then asked again', () => {
  const cases: {
    name: string;
    options?: ForwardCacheOptions;
    record: (c: ForwardCache, at: number) => void;
    duration: number;
  }[] = [
    { name: 'default 5 s', record: (c, at) => c.fail(KEY, at), duration: 5 },
    {
      name: 'an answered SERVFAIL',
      record: (c, at) => c.store(KEY, sections('SERVFAIL'), at),
      duration: 5,
    },
    {
      name: 'servfail 1 s',
      options: { servfailMs: S },
      record: (c, at) => c.fail(KEY, at),
      duration: 1,
    },
    {
      name: 'servfail 5 min',
      options: { servfailMs: 300 * S },
      record: (c, at) => c.fail(KEY, at),
      duration: 300,
    },
  ];
  for (const c of cases) {
    const cache = new ForwardCache(c.options);
    c.record(cache, T0);
    assert.equal(cache.lookup(KEY, T0).status, 'failed', c.name);
    assert.equal(cache.lookup(KEY, T0 + c.duration * S - 1).status, 'failed', c.name);
    assert.equal(
      cache.stale(KEY, T0 + 1),
      undefined,
      `${c.name}: a failure is never served as data`,
    );
    assert.equal(cache.lookup(KEY, T0 + c.duration * S).status, 'miss', c.name);
  }
});

test('a stale answer outlives a failure, which sets its recheck timer (RFC 8767 §4)', () => {
  const cache = new ForwardCache();
  cache.store(KEY, positive(60), T0);
  cache.fail(KEY, T0 + 61 * S);
  assert.equal(cache.lookup(KEY, T0 + 62 * S).status, 'failed', 'do not ask again yet');
  assert.deepEqual(ttls(cache.stale(KEY, T0 + 62 * S)!), [30]);
  assert.equal(cache.lookup(KEY, T0 + 66 * S).status, 'miss', 'recheck timer over: ask again');
  assert.deepEqual(ttls(cache.stale(KEY, T0 + 66 * S)!), [30], 'still servable if that fails too');
});

test('a denial or a failure never hides a fresh positive answer', () => {
  type Expect = {
    lookup: 'NOERROR+A' | 'NXDOMAIN' | 'NODATA' | 'failed' | 'miss';
    stale?: 'NOERROR+A' | 'NXDOMAIN' | 'none';
  };
  const cases: {
    name: string;
    options?: ForwardCacheOptions;
    first: Sections;
    then: Sections | 'fail';
    at: number;
    expect: Expect;
  }[] = [
    {
      name: 'NXDOMAIN over a fresh positive',
      first: positive(60),
      then: nxdomain(),
      at: 30,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'NODATA over a fresh positive',
      first: positive(60),
      then: nodata(),
      at: 30,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'SERVFAIL over a fresh positive',
      first: positive(60),
      then: sections('SERVFAIL'),
      at: 30,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'a failure over a fresh positive',
      first: positive(60),
      then: 'fail',
      at: 30,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'REFUSED over a fresh positive',
      first: positive(60),
      then: sections('REFUSED'),
      at: 30,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'NXDOMAIN replaces an expired positive',
      first: positive(60),
      then: nxdomain(),
      at: 61,
      expect: { lookup: 'NXDOMAIN', stale: 'NXDOMAIN' },
    },
    {
      name: 'NODATA replaces an expired positive',
      first: positive(60),
      then: nodata(),
      at: 61,
      expect: { lookup: 'NODATA' },
    },
    {
      name: 'an uncacheable NXDOMAIN still retires an expired positive',
      first: positive(60),
      then: sections('NXDOMAIN'),
      at: 61,
      expect: { lookup: 'miss', stale: 'none' },
    },
    {
      name: 'SERVFAIL keeps a stale positive',
      first: positive(60),
      then: sections('SERVFAIL'),
      at: 61,
      expect: { lookup: 'failed', stale: 'NOERROR+A' },
    },
    {
      name: 'REFUSED changes nothing',
      first: positive(60),
      then: sections('REFUSED'),
      at: 61,
      expect: { lookup: 'miss', stale: 'NOERROR+A' },
    },
    {
      name: 'SERVFAIL past the stale cap',
      options: { serveStaleMs: 0 },
      first: positive(60),
      then: 'fail',
      at: 61,
      expect: { lookup: 'failed', stale: 'none' },
    },
    {
      name: 'a positive replaces a fresh NXDOMAIN',
      first: nxdomain(),
      then: positive(60),
      at: 10,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'a positive replaces a failure',
      first: sections('SERVFAIL'),
      then: positive(60),
      at: 1,
      expect: { lookup: 'NOERROR+A' },
    },
    {
      name: 'NXDOMAIN replaces a fresh NODATA',
      first: nodata(),
      then: nxdomain(),
      at: 10,
      expect: { lookup: 'NXDOMAIN' },
    },
  ];
  const describe = (s: Sections): Expect['lookup'] =>
    s.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : s.answers.length ? 'NOERROR+A' : 'NODATA';
  for (const c of cases) {
    const cache = new ForwardCache(c.options);
    cache.store(KEY, c.first, T0);
    const at = T0 + c.at * S;
    if (c.then === 'fail') cache.fail(KEY, at);
    else cache.store(KEY, c.then, at);
    const found = cache.lookup(KEY, at + 1);
    assert.equal(
      found.status === 'hit' ? describe(found.sections) : found.status,
      c.expect.lookup,
      c.name,
    );
    if (c.expect.stale) {
      const stale = cache.stale(KEY, at + 3601 * S);
      assert.equal(
        stale ? describe(stale) : 'none',
        c.expect.stale,
        `${c.name}: what is served stale later`,
      );
    }
  }
});

test('options: clear errors for values out of range', () => {
  const cases: { options: ForwardCacheOptions; message: RegExp }[] = [
    { options: { success: { capacity: 0 } }, message: /success capacity/ },
    { options: { denial: { capacity: 1.5 } }, message: /denial capacity/ },
    { options: { success: { maxTtl: 10, minTtl: 20 } }, message: /success MINTTL must not exceed/ },
    { options: { denial: { maxTtl: -1 } }, message: /denial TTL/ },
    { options: { prefetch: { amount: 0 } }, message: /prefetch AMOUNT/ },
    { options: { prefetch: { amount: 1, percentage: 5 } }, message: /PERCENTAGE/ },
    { options: { prefetch: { amount: 1, percentage: 91 } }, message: /PERCENTAGE/ },
    { options: { prefetch: { amount: 1, durationMs: 0 } }, message: /prefetch DURATION/ },
    { options: { serveStaleMs: -1 }, message: /serve_stale/ },
    { options: { servfailMs: 999 }, message: /servfail DURATION/ },
    { options: { servfailMs: 300_001 }, message: /servfail DURATION/ },
  ];
  for (const c of cases)
    assert.throws(
      () => new ForwardCache(c.options),
      { name: 'RangeError', message: c.message },
      JSON.stringify(c.options),
    );
  assert.doesNotThrow(
    () =>
      new ForwardCache({
        prefetch: { amount: 1, percentage: 90 },
        servfailMs: 300_000,
        serveStaleMs: 0,
      }),
  );
});

test('cacheableMs: a copy may answer until the entry expires, or until the prefetch window opens', () => {
  const cases: {
    name: string;
    options?: ForwardCacheOptions;
    stored: Sections;
    at: number;
    ms: number;
  }[] = [
    { name: 'no prefetch: the expiry', stored: positive(100), at: 0, ms: 100 * S },
    { name: 'no prefetch, later', stored: positive(100), at: 30.5 * S, ms: 69.5 * S },
    { name: 'a denial: its SOA minimum', stored: nxdomain(3600, 300), at: 0, ms: 300 * S },
    {
      name: 'raised by the floor: the entry lifetime (the copy is bounded by its TTLs too)',
      stored: positive(1),
      at: 0,
      ms: 5 * S,
    },
    {
      name: 'prefetch 10%: the last 10 s of 100',
      options: { prefetch: { amount: 1 } },
      stored: positive(100),
      at: 0,
      ms: 90 * S,
    },
    {
      name: 'prefetch 10%, later',
      options: { prefetch: { amount: 1 } },
      stored: positive(100),
      at: 89.5 * S,
      ms: 0.5 * S,
    },
    {
      name: 'prefetch, in the window: none',
      options: { prefetch: { amount: 1 } },
      stored: positive(100),
      at: 95 * S,
      ms: 0,
    },
    {
      name: 'prefetch 50%',
      options: { prefetch: { amount: 1, percentage: 50 } },
      stored: positive(100),
      at: 0,
      ms: 50 * S,
    },
    {
      name: 'prefetch, short TTL: the last second',
      options: { prefetch: { amount: 1 }, success: { minTtl: 0 } },
      stored: positive(5),
      at: 0,
      ms: 4 * S,
    },
  ];
  for (const c of cases) {
    const cache = new ForwardCache(c.options);
    const stored = cache.store(KEY, c.stored, T0);
    if (c.at === 0) assert.equal(stored.cacheableMs, c.ms, `${c.name}: as stored`);
    const found = hit(cache.lookup(KEY, T0 + c.at));
    assert.equal(found.cacheableMs, c.ms, c.name);
    if (!c.options?.prefetch || c.ms === 0) continue;
    // The copy's end is where prefetch can be reported (AMOUNT 1): not a millisecond before.
    const edge = new ForwardCache(c.options);
    edge.store(KEY, c.stored, T0);
    assert.equal(
      hit(edge.lookup(KEY, T0 + c.at + c.ms - 1)).prefetch,
      false,
      `${c.name}: before the window`,
    );
    assert.equal(hit(edge.lookup(KEY, T0 + c.at + c.ms)).prefetch, true, `${c.name}: the window`);
  }
});

test('stale answers are marked stale and never cacheable; answers not cached carry no cacheableMs', () => {
  const cache = new ForwardCache();
  cache.store(KEY, positive(60), T0);
  const fresh = cache.stale(KEY, T0 + 10 * S)!;
  assert.deepEqual(
    [fresh.stale, fresh.cacheableMs],
    [undefined, 50 * S],
    'still fresh: as lookup answers',
  );
  const stale = cache.stale(KEY, T0 + 61 * S)!;
  assert.deepEqual([stale.stale, stale.cacheableMs, ttls(stale)], [true, undefined, [30]]);
  const refused = cache.store(KEY, sections('REFUSED'), T0);
  assert.equal(refused.cacheableMs, undefined, 'REFUSED is not cached');
  const uncapped = new ForwardCache({ success: { maxTtl: 0, minTtl: 0 } }).store(
    KEY,
    positive(60),
    T0,
  );
  assert.equal(
    uncapped.cacheableMs,
    undefined,
    'success TTL 0: nothing cached, so nothing copied either',
  );
  const denial = new ForwardCache().store(KEY, sections('NOERROR'), T0);
  assert.equal(denial.cacheableMs, undefined, 'a denial without SOA is not cached (RFC 2308 §5)');
});
