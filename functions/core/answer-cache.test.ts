import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { AnswerCache } from './answer-cache.ts';
import { queryKey } from './query-key.ts';
import { resolve } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';

const query = (name: string, opts: { id?: number; flags?: number; edns?: number; type?: 'A' | 'AAAA' } = {}) =>
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
  assert.notEqual(queryKey(query('a.cluster.local', { edns: 1232 }), 'udp')?.key, plain.key, 'EDNS changes the answer');
  assert.notEqual(queryKey(query('a.cluster.local', { edns: 4096 }), 'udp')?.key, queryKey(query('a.cluster.local', { edns: 600 }), 'udp')?.key);
  assert.equal(queryKey(query('a.cluster.local', { edns: 4096 }), 'udp')?.key, queryKey(query('a.cluster.local', { edns: 1232 }), 'udp')?.key, 'sizes above ours are one key');
  assert.notEqual(queryKey(query('A.cluster.local'), 'udp')?.key, plain.key, 'case is part of the key (0x20 echo)');
  assert.notEqual(queryKey(query('a.cluster.local'), 'tcp')?.key, plain.key, 'the transport bounds the size');
  assert.equal(queryKey(query('a.cluster.local', { flags: 1 << 11 }), 'udp'), undefined, 'opcode IQUERY');
  assert.equal(queryKey(query('a.cluster.local').subarray(0, 20), 'udp'), undefined, 'truncated');
  assert.equal(queryKey(Buffer.concat([query('a.cluster.local'), Buffer.from([0])]), 'udp'), undefined, 'trailing bytes');
  assert.equal(queryKey(Buffer.alloc(5), 'udp'), undefined);
});

test('cached answers carry each query ID and RD/CD bits, and die with the data version', async () => {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.5']), 1);
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };

  const first = dnsPacket.decode((await resolve(query('web.shop.svc.cluster.local', { id: 11, flags: dnsPacket.RECURSION_DESIRED }), 'udp', ctx))!);
  const second = dnsPacket.decode((await resolve(query('web.shop.svc.cluster.local', { id: 22 }), 'udp', ctx))!);
  assert.equal(answerCache.hits, 1);
  assert.equal(first.id, 11);
  assert.equal(first.flag_rd, true);
  assert.equal(second.id, 22);
  assert.equal(second.flag_rd, false);
  assert.deepEqual(second.answers, first.answers);

  store.replaceAll(nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.96.0.6']), 2);
  const third = dnsPacket.decode((await resolve(query('web.shop.svc.cluster.local', { id: 33 }), 'udp', ctx))!);
  assert.equal((third.answers?.[0] as { data?: unknown } | undefined)?.data, '10.96.0.6');
});

test('SERVFAIL is never cached', async () => {
  const store = new MemoryStore(); // not synced: SERVFAIL
  const answerCache = new AnswerCache();
  const ctx = { store, answerCache, zones: [kubernetesZone('cluster.local', 5)] };
  const before = dnsPacket.decode((await resolve(query('web.shop.svc.cluster.local'), 'udp', ctx))!);
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
