import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { AnswerCache } from './answer-cache.ts';
import { queryKey, sameKey, type QueryKey } from './query-key.ts';
import { resolve } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';

const query = (
  name: string,
  opts: { id?: number; flags?: number; edns?: number; type?: 'A' | 'AAAA' } = {},
) =>
  dnsPacket.encode({
    type: 'query',
    id: opts.id ?? 1,
    flags: opts.flags ?? 0,
    questions: [{ name, type: opts.type ?? 'A' }],
    additionals: opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns } as never] : [],
  });

test('query keys: the common shape has one, odd shapes take the full path', () => {
  const plain = queryKey(query('a.cluster.local'), 'udp');
  assert.ok(plain);
  assert.equal(plain.id, 1);
  const same = (a: QueryKey | undefined, b: QueryKey | undefined) => !!a && !!b && sameKey(a, b);
  assert.ok(sameKey(plain, queryKey(query('a.cluster.local', { id: 2 }), 'udp')!), 'the ID is not');
  assert.ok(
    !same(queryKey(query('a.cluster.local', { edns: 1232 }), 'udp'), plain),
    'EDNS changes the answer (an OPT in it)',
  );
  assert.ok(
    !same(
      queryKey(query('a.cluster.local', { edns: 1232, flags: 0 }), 'udp'),
      queryKey(withDo(query('a.cluster.local', { edns: 1232 })), 'udp'),
    ),
    'so does DO',
  );
  assert.ok(
    !same(queryKey(query('A.cluster.local'), 'udp'), plain),
    'case is part of the key (0x20 echo)',
  );
  // The size limit is not part of the key: an answer that fits is the same bytes at any limit.
  const limits = {
    'udp, no EDNS': [query('a.cluster.local'), 'udp', 512],
    'udp, EDNS 600': [query('a.cluster.local', { edns: 600 }), 'udp', 600],
    'udp, EDNS 4096 (ours is 1232)': [query('a.cluster.local', { edns: 4096 }), 'udp', 1232],
    tcp: [query('a.cluster.local'), 'tcp', 65535],
    https: [query('a.cluster.local', { edns: 4096 }), 'https', 65535],
  } as const;
  for (const [name, [wire, transport, limit]] of Object.entries(limits))
    assert.equal(queryKey(wire, transport)?.limit, limit, name);
  assert.ok(same(queryKey(query('a.cluster.local'), 'tcp'), plain), 'UDP and TCP share a key');
  assert.ok(
    same(
      queryKey(query('a.cluster.local', { edns: 600 }), 'udp'),
      queryKey(query('a.cluster.local', { edns: 4096 }), 'tcp'),
    ),
    'so do EDNS sizes',
  );
  assert.equal(
    queryKey(query('a.cluster.local', { flags: 1 << 11 }), 'udp'),
    undefined,
    'opcode IQUERY',
  );
  assert.equal(queryKey(query('a.cluster.local').subarray(0, 20), 'udp'), undefined, 'truncated');
  assert.equal(
    queryKey(Buffer.concat([query('a.cluster.local'), Buffer.from([0])]), 'udp'),
    undefined,
    'trailing bytes',
  );
  assert.equal(queryKey(Buffer.alloc(5), 'udp'), undefined);
});

/** The query with the DO bit (RFC 3225 §3) set in its OPT, the last record. */
function withDo(wire: Buffer): Buffer {
  wire[wire.length - 4] = 0x80;
  return wire;
}

test('a whole answer serves UDP, TCP and HTTPS; an answer cut to a limit serves that limit only', async () => {
  const store = new MemoryStore();
  // 40 A records: 12 + 32 (header, question) + 40 * 16 (compressed A) = 684 bytes, over 512 and
  // 600, under 1232. 512 holds 29 of them; 600, less its OPT's 11, holds 34.
  const big = Array.from(
    { length: 40 },
    (_, i) => `big.shop.svc.cluster.local. 5 IN A 10.244.0.${i + 1}`,
  );
  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.5', ...big]), 1);
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };
  const ask = async (name: string, transport: 'udp' | 'tcp' | 'https', edns?: number) => {
    const a = dnsPacket.decode((await resolve(query(name, { edns }), transport, ctx))!);
    return `${a.flag_tc ? 'TC ' : ''}${a.answers?.length ?? 0} answers`;
  };
  const table: [string, 'udp' | 'tcp' | 'https', number | undefined, string, number][] = [
    // name, transport, EDNS size, answer, cache hits so far
    ['web.shop.svc.cluster.local', 'tcp', undefined, '1 answers', 0],
    ['web.shop.svc.cluster.local', 'udp', undefined, '1 answers', 1],
    ['big.shop.svc.cluster.local', 'udp', undefined, 'TC 29 answers', 1],
    // Cut, with no whole answer kept yet: the cut one serves its limit.
    ['big.shop.svc.cluster.local', 'udp', undefined, 'TC 29 answers', 2],
    ['big.shop.svc.cluster.local', 'tcp', undefined, '40 answers', 2],
    ['big.shop.svc.cluster.local', 'udp', undefined, 'TC 29 answers', 3],
    ['big.shop.svc.cluster.local', 'tcp', undefined, '40 answers', 4],
    ['big.shop.svc.cluster.local', 'udp', 1232, '40 answers', 4],
    ['big.shop.svc.cluster.local', 'https', 4096, '40 answers', 5],
    ['big.shop.svc.cluster.local', 'udp', 600, 'TC 34 answers', 5],
    ['big.shop.svc.cluster.local', 'udp', 600, 'TC 34 answers', 6],
  ];
  for (const [name, transport, edns, expected, hits] of table) {
    const label = `${name} ${transport}${edns ? ` EDNS ${edns}` : ''}`;
    assert.equal(await ask(name, transport, edns), expected, label);
    assert.equal(answerCache.hits, hits, `${label}: hits`);
  }
});

test('cached answers carry each query ID and RD/CD bits, and die with the data version', async () => {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.5']), 1);
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };

  const first = dnsPacket.decode(
    (await resolve(
      query('web.shop.svc.cluster.local', { id: 11, flags: dnsPacket.RECURSION_DESIRED }),
      'udp',
      ctx,
    ))!,
  );
  const second = dnsPacket.decode(
    (await resolve(query('web.shop.svc.cluster.local', { id: 22 }), 'udp', ctx))!,
  );
  assert.equal(answerCache.hits, 1);
  assert.equal(first.id, 11);
  assert.equal(first.flag_rd, true);
  assert.equal(second.id, 22);
  assert.equal(second.flag_rd, false);
  assert.deepEqual(second.answers, first.answers);

  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.6']), 2);
  const third = dnsPacket.decode(
    (await resolve(query('web.shop.svc.cluster.local', { id: 33 }), 'udp', ctx))!,
  );
  assert.equal((third.answers?.[0] as { data?: unknown } | undefined)?.data, '10.96.0.6');
});

test('SERVFAIL is never cached', async () => {
  const store = new MemoryStore(); // not synced: SERVFAIL
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };
  const before = dnsPacket.decode(
    (await resolve(query('web.shop.svc.cluster.local'), 'udp', ctx))!,
  );
  assert.equal(before.flags! & 0xf, 2, 'SERVFAIL');
  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.5']), 1);
  const after = dnsPacket.decode((await resolve(query('web.shop.svc.cluster.local'), 'udp', ctx))!);
  assert.equal(after.flags! & 0xf, 0, 'NOERROR');
});

test('the cache holds at most its capacity', async () => {
  const store = new MemoryStore();
  store.replaceAll([], 1);
  const answerCache = new AnswerCache(3);
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };
  for (let i = 0; i < 10; i++) await resolve(query(`n${i}.cluster.local`), 'udp', ctx);
  assert.equal(answerCache.size, 3);
});

// Aging entries (forwarded answers): the bytes as the resolver sent them, TTLs counting down.
const T0 = 1_700_000_000_000;
const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;
const a = (ttl: number, data = '192.0.2.1') => ({
  name: 'www.example.com',
  type: 'A' as const,
  class: 'IN' as const,
  ttl,
  data,
});
const soa = (ttl: number) => ({
  name: 'example.com',
  type: 'SOA' as const,
  class: 'IN' as const,
  ttl,
  data: {
    mname: 'ns.example.com',
    rname: 'h.example.com',
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 60,
  },
});

/** A query for www.example.com A and the answer to it, as the resolver would send it. */
function exchange(
  o: {
    id?: number;
    flags?: number;
    answers?: dnsPacket.Answer[];
    authorities?: dnsPacket.Answer[];
    rcode?: number;
  } = {},
) {
  const q = query('www.example.com', { id: o.id ?? 1, flags: o.flags ?? RD });
  const flags = dnsPacket.RECURSION_AVAILABLE | ((o.flags ?? RD) & (RD | CD)) | (o.rcode ?? 0);
  const answers = o.answers ?? [a(300), a(60, '192.0.2.2')];
  const wire = dnsPacket.encode({
    type: 'response',
    id: o.id ?? 1,
    flags,
    questions: [{ name: 'www.example.com', type: 'A' }],
    answers,
    authorities: o.authorities ?? [],
  });
  return { key: queryKey(q, 'udp')!, wire };
}
const ttlsOf = (wire: Buffer | undefined) =>
  wire
    ? [...dnsPacket.decode(wire).answers!, ...dnsPacket.decode(wire).authorities!].map(
        (r) => (r as { ttl: number }).ttl,
      )
    : 'miss';

test('aging entries: every TTL counts down by whole seconds (RFC 1035 §6.1); gone with the smallest', () => {
  const cases: { name: string; at: number; maxMs?: number; ttls: number[] | 'miss' }[] = [
    { name: 'just stored', at: 0, ttls: [300, 60] },
    { name: 'under a second', at: 999, ttls: [300, 60] },
    { name: 'one second', at: 1000, ttls: [299, 59] },
    { name: 'last millisecond of the smallest TTL', at: 59_999, ttls: [241, 1] },
    { name: 'the smallest TTL ran out', at: 60_000, ttls: 'miss' },
    { name: 'the forwarder allows less', at: 9_999, maxMs: 10_000, ttls: [291, 51] },
    { name: 'the forwarder allows less: over', at: 10_000, maxMs: 10_000, ttls: 'miss' },
    { name: 'the clock stepped back: never above the stored TTLs', at: -5_000, ttls: [300, 60] },
  ];
  for (const c of cases) {
    const cache = new AnswerCache();
    const { key, wire } = exchange();
    cache.get(key, 1, () => T0); // adopts version 1
    cache.setAging(key, 1, wire, T0, c.maxMs);
    assert.deepEqual(ttlsOf(cache.get(key, 1, () => T0 + c.at)), c.ttls, c.name);
    assert.equal(cache.size, c.ttls === 'miss' ? 0 : 1, `${c.name}: an expired entry is dropped`);
  }
});

test('aging entries: negative answers age their SOA; each copy carries its query ID and RD/CD', () => {
  const cache = new AnswerCache();
  const nx = exchange({ id: 5, rcode: 3, answers: [], authorities: [soa(900)] });
  cache.get(nx.key, 1, () => T0);
  cache.setAging(nx.key, 1, nx.wire, T0);
  const later = query('www.example.com', { id: 77, flags: 0 });
  const copy = cache.get(queryKey(later, 'udp')!, 1, () => T0 + 100_000)!;
  const decoded = dnsPacket.decode(copy);
  assert.deepEqual(
    [decoded.id, decoded.flag_rd, decoded.flags! & 0xf, ttlsOf(copy)],
    [77, false, 3, [800]],
  );
  assert.equal(
    cache.get(queryKey(query('www.example.com', { flags: RD | CD }), 'udp')!, 1, () => T0),
    undefined,
    'CD changes a forwarded answer (RFC 4035 §3.2.2): a miss',
  );
  assert.equal(cache.get(nx.key, 1), undefined, 'no time given: a miss');
  assert.equal(cache.size, 1, 'kept for the queries that match');
});

test('aging entries: what is not kept', () => {
  const { key } = exchange();
  const cases: { name: string; wire: Buffer; version?: number }[] = [
    { name: 'a TTL of 0', wire: exchange({ answers: [a(300), a(0)] }).wire },
    {
      name: 'no record with a TTL (RFC 2308 §5: a denial without SOA)',
      wire: exchange({ answers: [] }).wire,
    },
    { name: 'a message that does not walk', wire: exchange().wire.subarray(0, 40) },
    { name: 'an old store version', wire: exchange().wire, version: 0 },
  ];
  for (const c of cases) {
    const cache = new AnswerCache();
    cache.get(key, 1, () => T0);
    cache.setAging(key, c.version ?? 1, c.wire, T0);
    assert.equal(cache.size, 0, c.name);
  }
  const cache = new AnswerCache();
  cache.get(key, 1, () => T0);
  cache.setAging(key, 1, exchange().wire, T0);
  assert.equal(
    cache.get(key, 2, () => T0),
    undefined,
    'a new store version drops them',
  );
  assert.equal(cache.size, 0);
});

test('authoritative entries do not age, and their hits never read the clock', () => {
  const cache = new AnswerCache();
  const { key, wire } = exchange();
  let reads = 0;
  const clock = () => (reads++, T0 + 86_400_000);
  cache.get(key, 1, clock);
  cache.set(key, 1, wire);
  assert.deepEqual(cache.get(key, 1, clock), wire);
  assert.deepEqual(cache.get(key, 1), wire);
  assert.equal(reads, 0);
});

test('entries by kind, as CoreDNS counts them: success, denial (NXDOMAIN, NODATA), other rcodes neither', async () => {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.5']), 1);
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };
  const table: [string, 'A' | 'AAAA'][] = [
    ['web.shop.svc.cluster.local', 'A'], // success
    ['web.shop.svc.cluster.local', 'AAAA'], // NODATA
    ['gone.shop.svc.cluster.local', 'A'], // NXDOMAIN
    ['www.example.com', 'A'], // REFUSED
  ];
  for (const [name, type] of table) await resolve(query(name, { type }), 'udp', ctx);
  assert.equal(answerCache.size, 4);
  assert.deepEqual(answerCache.entryKinds(), { success: 1, denial: 2 });
});

test('the capacity bounds both kinds together; the oldest goes first', () => {
  const cache = new AnswerCache(3);
  const keys = ['a', 'b', 'c', 'd'].map((n) => queryKey(query(`${n}.example.com`), 'udp')!);
  const { wire } = exchange();
  cache.get(keys[0]!, 1, () => T0);
  cache.set(keys[0]!, 1, wire);
  cache.setAging(keys[1]!, 1, wire, T0);
  cache.set(keys[2]!, 1, wire);
  cache.setAging(keys[3]!, 1, wire, T0);
  assert.equal(cache.size, 3);
  assert.deepEqual(
    keys.map((k) => cache.get(k, 1, () => T0) !== undefined),
    [false, true, true, true],
  );
  cache.setAging(keys[1]!, 1, wire, T0 + 1000);
  assert.equal(cache.size, 3, 'replacing an entry evicts nothing');
});
