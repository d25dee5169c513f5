// The Node fast path (functions/doh/node-fast-path.ts, wire GET and POST) must answer exactly as
// the hono app does:
// every request of the DoH case table goes, over real HTTP on loopback, to a listener with the
// fast path and to one without, and the two responses must be equal (status, headers but Date,
// body), twice (a miss of the answer cache resolves asynchronously, the hit synchronously).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cases } from './doh/cases.ts';
import { buildRequest } from './doh/run-cases.ts';
import { fastPathPair, sendTo, type FastPathPair } from './doh/fast-path-pair.ts';
import { sampleStore, SAMPLE_CLUSTER, LARGE_HEADLESS } from './doh/sample-app.ts';
import { dohApp } from '../functions/doh/app.ts';
import { wireFastPath } from '../functions/doh/node-fast-path.ts';
import { resolve, resolveNow, type ResolverContext } from '../functions/core/resolver.ts';
import { AnswerCache } from '../functions/core/answer-cache.ts';
import { kubernetesZone } from '../functions/core/zone.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';

async function pair(loaded: boolean): Promise<FastPathPair> {
  const store = sampleStore([SAMPLE_CLUSTER, LARGE_HEADLESS], loaded);
  const zones = defaultBuildOptions.zones.map((z) => kubernetesZone(z, defaultBuildOptions.ttl));
  const ctx: ResolverContext = { store, zones, answerCache: new AnswerCache() };
  const fetch = dohApp({ resolve: (q) => resolve(q, 'https', ctx), onError: () => {} }).fetch;
  const inner = wireFastPath((q) => resolveNow(q, 'https', ctx));
  return fastPathPair(fetch, inner);
}

test('the fast path answers the DoH case table exactly as the app does', async (t) => {
  const [synced, unsynced] = await Promise.all([pair(true), pair(false)]);
  try {
    for (const c of cases.filter((c) => !c.onlyWithToken)) {
      const target = c.store === 'servfail' ? unsynced : synced;
      await t.test(c.title, async () => {
        for (const round of ['miss', 'hit']) {
          const { request } = buildRequest(c, undefined);
          const [viaFast, viaApp] = [
            await sendTo(target.fast.url, request.clone()),
            await sendTo(target.app.url, request),
          ];
          assert.deepEqual(viaFast, viaApp, `${round}: the fast path differs from the app`);
        }
      });
    }
    // The comparison means something only if the fast path took the wire GETs and POSTs it should.
    const wire = (method: string) =>
      cases.filter(
        (c) =>
          !c.onlyWithToken &&
          'wire' in c.send &&
          c.send.wire === method &&
          c.status === 200 &&
          !c.send.accept?.includes('dns-json'),
      );
    assert.ok(wire('GET').length >= 5, 'the table has wire GET cases');
    assert.ok(wire('POST').length >= 1, 'the table has wire POST cases');
    assert.equal(
      synced.taken() + unsynced.taken(),
      2 * (wire('GET').length + wire('POST').length),
      'every 200 wire GET and POST went through the fast path',
    );
  } finally {
    await Promise.all([synced, unsynced].flatMap((p) => [p.fast.close(), p.app.close()]));
  }
});
