// The DoH app with JWT scopes (docs/architecture.md §6.19), through its fetch: a question outside
// the token's scope is answered from the question alone (NXDOMAIN by this policy) on every route,
// and the resolver is never asked; the Node fast path's check takes static tokens only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { SignJWT } from 'jose';
import { dohApp } from './app.ts';
import { tokenAuthorizer, type TokenAuthOptions } from './token-auth.ts';
import { jwtVerifier } from '../auth/jwt-verifier.ts';
import { TokenBudget } from '../auth/token-budget.ts';

const key = new Uint8Array(32).fill(3);
const STATIC = 'static-token-0123456789';
const NOW = 1_800_000_000_000;
const jwt = (claims: Record<string, unknown>) =>
  new SignJWT({ aud: 'dns', exp: NOW / 1000 + 60, sub: 'app', ...claims })
    .setProtectedHeader({ alg: 'HS256', kid: 'k' })
    .sign(key);

const auth = (budget?: TokenBudget): TokenAuthOptions => ({
  tokens: [STATIC],
  jwt: jwtVerifier({ keys: { pems: [], secrets: [{ kid: 'k', key }] }, audience: 'dns' }),
  scope: { policy: 'nxdomain', kubernetesZones: ['cluster.local'], clusterOf: () => 'ci' },
  ...(budget && { budget }),
});

const asked: string[] = [];
const app = dohApp({
  auth: auth(),
  now: () => NOW,
  resolve: async (query) => {
    const q = dnsPacket.decode(Buffer.from(query));
    asked.push(q.questions![0]!.name);
    return dnsPacket.encode({ ...q, type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER });
  },
});
const wire = (name: string) =>
  Buffer.from(dnsPacket.encode({ type: 'query', id: 9, questions: [{ name, type: 'A' }] }));

test('outside the scope: NXDOMAIN from the question on every route, nothing resolved', async () => {
  const shop = await jwt({ namespaces: ['shop'] });
  const name = 'kubernetes.default.svc.cluster.local';
  const bearer = { authorization: `Bearer ${shop}` };
  const requests = [
    new Request(`https://x/dns-query?dns=${wire(name).toString('base64url')}`, { headers: bearer }),
    new Request('https://x/dns-query', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/dns-message' },
      body: wire(name),
    }),
    new Request(`https://x/dns-query/${shop}?dns=${wire(name).toString('base64url')}`),
  ];
  for (const request of requests) {
    const res = await app.fetch(request);
    assert.equal(res.status, 200);
    const reply = dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
    assert.equal((reply as { rcode?: string }).rcode, 'NXDOMAIN');
    assert.equal(reply.id, 9);
    assert.equal(reply.questions?.[0]?.name, name);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }
  const json = await app.fetch(
    new Request(`https://x/resolve?name=${name}&type=A`, { headers: bearer }),
  );
  assert.equal(((await json.json()) as { Status: number }).Status, 3);
  assert.deepEqual(asked, [], 'the resolver was never asked');
  const inside = await app.fetch(
    new Request(`https://x/resolve?name=cart.shop.svc.cluster.local&type=A`, { headers: bearer }),
  );
  assert.equal(((await inside.json()) as { Status: number }).Status, 0);
  assert.deepEqual(asked, ['cart.shop.svc.cluster.local']);
});

test("the fast path's check: a static token within its budget, nothing else", async () => {
  const check = tokenAuthorizer(auth(new TokenBudget({ perSecond: 1, burst: 2 })));
  const token = await jwt({});
  assert.equal(check.admitStatic(token, NOW), false, 'a JWT goes to the app');
  assert.equal(check.admitStatic('not-a-token-0123456789', NOW), false);
  assert.equal(check.admitStatic(undefined, NOW), false);
  assert.deepEqual(
    [1, 2, 3].map(() => check.admitStatic(STATIC, NOW)),
    [true, true, false],
    'a burst of 2',
  );
  assert.equal(check.admitStatic(STATIC, NOW + 1000), true, 'one more a second later');
  assert.deepEqual(await check.authorize(STATIC, NOW + 1000), {
    ok: false,
    status: 429,
    retryAfter: 1,
  });
});
