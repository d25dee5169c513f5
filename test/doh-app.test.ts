// The DoH case table (test/doh/cases.ts) against the app in-process (hono's app.request) over a
// MemoryStore with the sample cluster (and the large headless service, for the large-answer case),
// without auth as the container runs it and with a token as the edge entries do; plus what only
// the app can show: the resolver is never called without a valid token, a throwing resolver
// gives SERVFAIL, 'public' mode, and the token path form without auth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { runDohCases } from './doh/run-cases.ts';
import {
  appFetcher,
  LARGE_HEADLESS,
  SAMPLE_CLUSTER,
  resolverFor,
  sampleStore,
} from './doh/sample-app.ts';
import { dohApp } from '../functions/doh/app.ts';
import { encodeBase64Url } from '../functions/doh/base64url.ts';

const store = sampleStore([SAMPLE_CLUSTER, LARGE_HEADLESS]);
const unsynced = sampleStore([], false);
const quiet = { onError: () => undefined };

test('DoH cases through app.request, no auth (the container)', async (t) => {
  await runDohCases(t, appFetcher({ store, ...quiet }), {
    servfail: appFetcher({ store: unsynced, ...quiet }),
  });
});

test('DoH cases through app.request, with a token (the edge)', async (t) => {
  const auth = { tokens: ['other', 't0ken'] };
  await runDohCases(t, appFetcher({ store, auth, ...quiet }), {
    token: 't0ken',
    servfail: appFetcher({ store: unsynced, auth, ...quiet }),
  });
});

const query = (name: string, id = 0) =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'A', class: 'IN' }],
  });
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`https://edge-dns.test${path}`, { headers });
const dnsPath = (name: string, prefix = '/dns-query') =>
  `${prefix}?dns=${encodeBase64Url(query(name))}`;

test('without a valid token the resolver is never called (nothing is read from the store)', async () => {
  let calls = 0;
  const resolve = resolverFor(store);
  const app = dohApp({ resolve: (q) => (calls++, resolve(q)), auth: { tokens: ['t0ken'] } });
  const requests = [
    get(dnsPath('kubernetes.default.svc.cluster.local')),
    get(dnsPath('kubernetes.default.svc.cluster.local'), { authorization: 'Bearer t0ke' }),
    get(dnsPath('kubernetes.default.svc.cluster.local'), { authorization: 'Basic dDBrZW4=' }),
    get(dnsPath('kubernetes.default.svc.cluster.local', '/dns-query/nope')),
    get('/resolve?name=kubernetes.default.svc.cluster.local'),
    new Request('https://edge-dns.test/dns-query', {
      method: 'POST',
      headers: { 'content-type': 'application/dns-message' },
      body: new Uint8Array(query('a.cluster.local')),
    }),
  ];
  for (const request of requests)
    assert.equal((await app.request(request)).status, 401, request.url);
  assert.equal(calls, 0);
  assert.equal(
    (
      await app.request(
        get(dnsPath('kubernetes.default.svc.cluster.local'), { authorization: 'bearer t0ken' }),
      )
    ).status,
    200,
    'scheme is case-insensitive',
  );
  assert.equal(calls, 1);
});

test('a resolver that throws gives a SERVFAIL answer with the ID and question, never a 5xx', async () => {
  const errors: unknown[] = [];
  const app = dohApp({
    resolve: () => Promise.reject(new Error('boom')),
    onError: (e) => errors.push(e),
  });
  const response = await app.request(
    get(`/dns-query?dns=${encodeBase64Url(query('Web.shop.svc.cluster.local', 0x4242))}`),
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const reply = dnsPacket.decode(Buffer.from(await response.arrayBuffer()));
  assert.equal(reply.id, 0x4242);
  assert.equal(reply.flags! & 0xf, 2);
  assert.equal(reply.flag_rd, true);
  assert.deepEqual(reply.questions, [
    { name: 'Web.shop.svc.cluster.local', type: 'A', class: 'IN' },
  ]);
  const json = await app.request(get('/resolve?name=web.shop.svc.cluster.local'));
  assert.equal(json.status, 200);
  assert.equal(((await json.json()) as { Status: number }).Status, 2);
  assert.equal(errors.length, 2);
});

test("'public' serves without a token, in both path forms", async () => {
  const app = dohApp({ resolve: resolverFor(store), auth: 'public' });
  for (const path of [
    dnsPath('kubernetes.default.svc.cluster.local'),
    dnsPath('kubernetes.default.svc.cluster.local', '/dns-query/anything'),
  ]) {
    assert.equal((await app.request(get(path))).status, 200, path);
  }
});

test('without auth (the container) the token path form is 404: there is no token to check', async () => {
  const app = dohApp({ resolve: resolverFor(store) });
  assert.equal(
    (await app.request(get(dnsPath('kubernetes.default.svc.cluster.local', '/dns-query/t0ken'))))
      .status,
    404,
  );
  assert.equal(
    (await app.request(get(dnsPath('kubernetes.default.svc.cluster.local')))).status,
    200,
  );
});

test('HEAD answers like GET without a body', async () => {
  const app = dohApp({ resolve: resolverFor(store) });
  const response = await app.request(
    new Request(`https://edge-dns.test${dnsPath('kubernetes.default.svc.cluster.local')}`, {
      method: 'HEAD',
    }),
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'max-age=5');
  assert.equal((await response.arrayBuffer()).byteLength, 0);
});
