// The Node fast path with DoH authorization (docs/architecture.md §6.19): it serves a wire GET
// with a static token, exactly as the app does (status, headers but Date, body), and leaves
// JWTs, wrong tokens and missing ones to the app. Every case of the DoH case table goes over real
// HTTP on loopback to a listener with the fast path and to one without, with a static token and
// with a JWT, and the two responses must be equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { cases } from './doh/cases.ts';
import { buildRequest } from './doh/run-cases.ts';
import { fastPathPair, sendTo } from './doh/fast-path-pair.ts';
import { sampleStore, SAMPLE_CLUSTER, LARGE_HEADLESS } from './doh/sample-app.ts';
import { dohApp } from '../functions/doh/app.ts';
import { wireFastPath } from '../functions/doh/node-fast-path.ts';
import { bearerToken } from '../functions/doh/auth.ts';
import { tokenAuthorizer, type TokenAuthOptions } from '../functions/doh/token-auth.ts';
import { jwtVerifier } from '../functions/auth/jwt-verifier.ts';
import { resolve, resolveNow, type ResolverContext } from '../functions/core/resolver.ts';
import { AnswerCache } from '../functions/core/answer-cache.ts';
import { kubernetesZone } from '../functions/core/zone.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';

const STATIC = 'static-token-0123456789abcdef';
const key = new Uint8Array(32).fill(5);
const JWT = await new SignJWT({ aud: 'dns', sub: 'c', exp: Math.floor(Date.now() / 1000) + 600 })
  .setProtectedHeader({ alg: 'HS256', kid: 'k' })
  .sign(key);

test('with auth, the fast path serves static tokens as the app does, and nothing else', async (t) => {
  const store = sampleStore([SAMPLE_CLUSTER, LARGE_HEADLESS], true);
  const zones = defaultBuildOptions.zones.map((z) => kubernetesZone(z, defaultBuildOptions.ttl));
  const ctx: ResolverContext = { store, zones, answerCache: new AnswerCache() };
  const auth: TokenAuthOptions = {
    tokens: [STATIC],
    jwt: jwtVerifier({ keys: { pems: [], secrets: [{ kid: 'k', key }] }, audience: 'dns' }),
    scope: { policy: 'refused', kubernetesZones: ['cluster.local'], clusterOf: () => 'ci' },
  };
  const fetch = dohApp({ resolve: (q) => resolve(q, 'https', ctx), auth, onError: () => {} }).fetch;
  const tokens = tokenAuthorizer(auth);
  const inner = wireFastPath(
    (q) => resolveNow(q, 'https', ctx),
    (req) => tokens.admitStatic(bearerToken(req.headers.authorization), Date.now()),
  );
  const { fast, app, taken } = await fastPathPair(fetch, inner);
  try {
    const table = cases.filter((c) => c.store !== 'servfail');
    for (const [who, token] of [
      ['static token', STATIC],
      ['JWT', JWT],
    ] as const) {
      const before = taken();
      for (const c of table) {
        await t.test(`${who}: ${c.title}`, async () => {
          const { request } = buildRequest(c, token);
          assert.deepEqual(
            await sendTo(fast.url, request.clone()),
            await sendTo(app.url, request),
            'the fast path differs from the app',
          );
        });
      }
      if (who === 'JWT') assert.equal(taken(), before, 'JWTs all went to the app');
      else assert.ok(taken() - before >= 5, `the fast path took the static token's wire GETs`);
    }
  } finally {
    await Promise.all([fast.close(), app.close()]);
  }
});
