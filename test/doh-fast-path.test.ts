// The Node fast path (functions/doh/node-fast-path.ts, wire GET and POST) must answer exactly as
// the hono app does:
// every request of the DoH case table goes, over real HTTP on loopback, to a listener with the
// fast path and to one without, and the two responses must be equal (status, headers but Date,
// body), twice (a miss of the answer cache resolves asynchronously, the hit synchronously).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cases } from './doh/cases.ts';
import { buildRequest, ORIGIN } from './doh/run-cases.ts';
import { sampleStore, SAMPLE_CLUSTER, LARGE_HEADLESS } from './doh/sample-app.ts';
import { dohApp } from '../functions/doh/app.ts';
import { serveDoh, type DohListener } from '../functions/doh/node-server.ts';
import { wireGetFastPath, type FastPath } from '../functions/doh/node-fast-path.ts';
import { resolve, resolveNow, type ResolverContext } from '../functions/core/resolver.ts';
import { AnswerCache } from '../functions/core/answer-cache.ts';
import { kubernetesZone } from '../functions/core/zone.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';

interface Pair {
  fast: DohListener;
  app: DohListener;
  /** Requests the fast path answered itself. */
  taken: () => number;
}

async function pair(loaded: boolean): Promise<Pair> {
  const store = sampleStore([SAMPLE_CLUSTER, LARGE_HEADLESS], loaded);
  const zones = defaultBuildOptions.zones.map((z) => kubernetesZone(z, defaultBuildOptions.ttl));
  const ctx: ResolverContext = { store, zones, answerCache: new AnswerCache() };
  const fetch = dohApp({ resolve: (q) => resolve(q, 'https', ctx), onError: () => {} }).fetch;
  const inner = wireGetFastPath((q) => resolveNow(q, 'https', ctx));
  let taken = 0;
  const counted: FastPath = (req, res, declined) => {
    const took = inner(req, res, () => {
      taken--;
      declined();
    });
    if (took) taken++;
    return took;
  };
  const [fast, app] = await Promise.all([
    serveDoh(fetch, { host: '127.0.0.1', port: 0, fastPath: counted }),
    serveDoh(fetch, { host: '127.0.0.1', port: 0 }),
  ]);
  return { fast, app, taken: () => taken };
}

async function send(
  base: string,
  request: Request,
): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const response = await fetch(request.url.replace(ORIGIN, base), {
    method: request.method,
    headers: request.headers,
    body,
  });
  const headers = [...response.headers].filter(
    ([name]) => !['date', 'connection', 'keep-alive'].includes(name),
  );
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
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
            await send(target.fast.url, request.clone()),
            await send(target.app.url, request),
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
