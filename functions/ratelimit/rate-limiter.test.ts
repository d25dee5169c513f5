import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetwork } from '../core/ip-network.ts';
import { clientKey, RateLimiter, type RateLimitOptions } from './rate-limiter.ts';
import { TokenBucket } from './token-bucket.ts';

const options = (o: Partial<RateLimitOptions>): RateLimitOptions => ({
  allow: [],
  slip: 2,
  maxClients: 1000,
  ...o,
});

/** Verdicts for `n` queries from `address` at `atMs`, as one string: p(ass) s(lip) d(rop). */
const burst = (limiter: RateLimiter, address: string, n: number, atMs: number) =>
  Array.from({ length: n }, () => limiter.admit(address, atMs)[0]).join('');

test('a token bucket holds `burst` tokens and refills at `rate` a second', () => {
  const b = new TokenBucket(10, 10, 0);
  assert.equal(Array.from({ length: 12 }, () => (b.take(0) ? 1 : 0)).join(''), '111111111100');
  assert.equal(b.waitSeconds(0), 0.1);
  assert.equal(b.take(50), false, 'half a token after 50 ms');
  assert.equal(b.take(100), true, 'a whole one after 100 ms');
  assert.equal(b.full(100_000), true, 'refills to the burst, not past it');
  assert.equal(Array.from({ length: 11 }, () => (b.take(100_000) ? 1 : 0)).join(''), '11111111110');
});

test('per client: each client its own budget; limited queries slip every 2nd, drop the rest', () => {
  const limiter = new RateLimiter(options({ perClient: 3 }), 0);
  assert.equal(burst(limiter, '192.0.2.1', 9, 0), 'pppdsdsds');
  assert.equal(burst(limiter, '192.0.2.2', 3, 0), 'ppp', 'another client is not limited');
  assert.equal(burst(limiter, '192.0.2.1', 2, 1000), 'pp', 'a second later the budget is back');
  assert.deepEqual(limiter.counts, { passed: 8, slipped: 3, dropped: 3 });
});

test('slip 1 truncates every limited reply; slip 0 answers none of them', () => {
  assert.equal(burst(new RateLimiter(options({ perClient: 1, slip: 1 }), 0), '::1', 4, 0), 'psss');
  assert.equal(burst(new RateLimiter(options({ perClient: 1, slip: 0 }), 0), '::1', 4, 0), 'pddd');
});

test('overall limit across clients; a client over its own limit spends none of it', () => {
  const limiter = new RateLimiter(options({ perClient: 2, perSecond: 4, slip: 0 }), 0);
  assert.equal(burst(limiter, '10.0.0.1', 5, 0), 'ppddd', 'the 3 over its own limit');
  assert.equal(burst(limiter, '10.0.0.2', 2, 0), 'pp');
  assert.equal(burst(limiter, '10.0.0.3', 2, 0), 'dd', 'the overall 4 are spent');
  assert.equal(limiter.retryAfterSeconds('10.0.0.3', 0), 1);
});

test('the allow-list is never limited, and IPv6 clients count per /64', () => {
  const limiter = new RateLimiter(
    options({ perClient: 1, slip: 0, allow: [parseNetwork('10.0.0.0/8')!] }),
    0,
  );
  assert.equal(burst(limiter, '10.9.9.9', 5, 0), 'ppppp');
  assert.equal(burst(limiter, '::ffff:10.1.1.1', 2, 0), 'pp', 'mapped IPv4 client');
  assert.equal(limiter.admit('2001:db8:0:1::1', 0), 'pass');
  assert.equal(limiter.admit('2001:db8:0:1::ffff', 0), 'drop', 'same /64');
  assert.equal(limiter.admit('2001:db8:0:2::1', 0), 'pass', 'another /64');
  assert.equal(clientKey('2001:db8:0:1:aaaa::1'), '32.1.13.184.0.0.0.1/64');
  assert.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1');
});

test('memory stays bounded: past maxClients the least recently seen client is forgotten', () => {
  const limiter = new RateLimiter(options({ perClient: 1, slip: 0, maxClients: 100 }), 0);
  for (let i = 0; i < 1000; i++) limiter.admit(`198.51.${i >> 8}.${i & 255}`, 0);
  assert.equal(limiter.clients, 100);
});
