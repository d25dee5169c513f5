// Bad input to the DoH app (docs/architecture.md §6.11): random bytes, random and bad base64url,
// truncated and mutated queries, huge bodies (declared and streamed), random JSON parameters and
// paths, through app.request over the sample cluster. Every response is 200 with a DNS answer
// that is not FORMERR (the app turns FORMERR into 400), or a 4xx with a reason; never a 5xx,
// never a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import { dohApp } from '../functions/doh/app.ts';
import { encodeBase64Url } from '../functions/doh/base64url.ts';
import { MAX_BODY } from '../functions/doh/http-limits.ts';
import { resolverFor, sampleStore } from './doh/sample-app.ts';

const errors: unknown[] = [];
const app = dohApp({
  resolve: resolverFor(sampleStore()),
  auth: { tokens: ['t0ken'] },
  onError: (e) => errors.push(e),
});
const AUTH = { authorization: 'Bearer t0ken' };
const ORIGIN = 'https://edge-dns.test';
const RUNS = { numRuns: 300 };

/** Sends and checks the outcome: 200 with a DNS response (ID echoed, not FORMERR), or a 4xx. */
async function expectAnswerOr4xx(request: Request, query?: Uint8Array): Promise<number> {
  const response = await app.request(request);
  const body = new Uint8Array(await response.arrayBuffer());
  assert.ok(
    response.status < 500,
    `${request.method} ${request.url.slice(0, 120)}: ${response.status}`,
  );
  if (
    response.status === 200 &&
    response.headers.get('content-type') === 'application/dns-message'
  ) {
    const reply = dnsPacket.decode(Buffer.from(body));
    assert.equal(reply.type, 'response');
    assert.notEqual((reply.flags ?? 0) & 0xf, 1, 'FORMERR is a 400 over HTTP');
    if (query && query.length >= 2)
      assert.equal(reply.id, (query[0]! << 8) | query[1]!, 'ID echoed');
  } else if (response.status !== 200) {
    assert.ok(response.status >= 400, `unexpected status ${response.status}`);
    assert.ok(new TextDecoder().decode(body).trim().length > 0, 'a 4xx says why');
  }
  return response.status;
}

const get = (dns: string) => new Request(`${ORIGIN}/dns-query?dns=${dns}`, { headers: AUTH });
const post = (body: Uint8Array) =>
  new Request(`${ORIGIN}/dns-query`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/dns-message' },
    body: new Uint8Array(body),
  });
const valid = (name: string, type: dnsPacket.RecordType, id: number) =>
  new Uint8Array(
    dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name, type, class: 'IN' }],
    }),
  );
const NAMES = [
  'kubernetes.default.svc.cluster.local',
  '_http._tcp.web.shop.svc.cluster.local',
  'db-peers.data.svc.cluster.local',
  '1.0.96.10.in-addr.arpa',
  'nope.cluster.local',
  'example.com',
];
const TYPES = [
  'A',
  'AAAA',
  'SRV',
  'PTR',
  'TXT',
  'ANY',
  'SOA',
  'NS',
  'CNAME',
] as dnsPacket.RecordType[];
const query = fc
  .tuple(fc.constantFrom(...NAMES), fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 0xffff }))
  .map(([n, t, id]) => valid(n, t, id));

test('random bytes, GET and POST: a DNS answer or 400', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
      await expectAnswerOr4xx(get(encodeBase64Url(bytes)), bytes);
      await expectAnswerOr4xx(post(bytes), bytes);
    }),
    RUNS,
  );
});

test('random text as the dns parameter (bad base64url, escapes, padding): 400 unless it decodes', async () => {
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...'AQgw-_+/=%.~ \u00e9\u0000'), maxLength: 60 }),
  );
  await fc.assert(
    fc.asyncProperty(text, async (dns) => {
      await expectAnswerOr4xx(get(encodeURIComponent(dns)));
      await expectAnswerOr4xx(
        new Request(`${ORIGIN}/dns-query?dns=${dns.replace(/[#?&\s]/g, '')}`, { headers: AUTH }),
      );
    }),
    RUNS,
  );
});

test('truncated queries: 400 below a whole question, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(query, fc.nat(), async (q, cut) => {
      const part = q.subarray(0, cut % (q.length + 1));
      const status = await expectAnswerOr4xx(post(part), part);
      if (part.length < q.length) assert.equal(status, 400, `cut at ${part.length} of ${q.length}`);
    }),
    RUNS,
  );
});

test('mutated queries (flipped bytes, counts, flags): a DNS answer or 400', async () => {
  const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 6,
  });
  await fc.assert(
    fc.asyncProperty(query, mutation, async (q, changes) => {
      const bytes = new Uint8Array(q);
      for (const [at, value] of changes) bytes[at % bytes.length] = value;
      await expectAnswerOr4xx(get(encodeBase64Url(bytes)), bytes);
    }),
    RUNS,
  );
});

test(`huge bodies: 413 above ${MAX_BODY} bytes, declared or streamed without a length`, async () => {
  for (const size of [MAX_BODY + 1, 1_000_000]) {
    assert.equal(await expectAnswerOr4xx(post(new Uint8Array(size))), 413, `${size} bytes`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = new Uint8Array(Math.min(16_384, size - sent));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${ORIGIN}/dns-query`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/dns-message' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(await expectAnswerOr4xx(request), 413, `${size} bytes streamed`);
    assert.ok(
      sent <= MAX_BODY + 16_384 * 2,
      `read ${sent} bytes of ${size}: stops soon after the limit`,
    );
  }
  assert.equal(
    await expectAnswerOr4xx(post(new Uint8Array(MAX_BODY))),
    400,
    'exactly the limit is read (and is no query)',
  );
});

test('random JSON API parameters: an answer or 400', async () => {
  const params = fc.dictionary(
    fc.constantFrom('name', 'type', 'cd', 'do', 'dns', 'ct'),
    fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...NAMES, ...TYPES)),
    { maxKeys: 4 },
  );
  await fc.assert(
    fc.asyncProperty(params, fc.boolean(), async (p, onDnsQuery) => {
      const search = new URLSearchParams(p).toString();
      const request = onDnsQuery
        ? new Request(`${ORIGIN}/dns-query?${search}`, {
            headers: { ...AUTH, accept: 'application/dns-json' },
          })
        : new Request(`${ORIGIN}/resolve?${search}`, { headers: AUTH });
      const response = await app.request(request);
      assert.ok(
        response.status === 200 || response.status === 400,
        `${request.url}: ${response.status}`,
      );
      if (
        response.status === 200 &&
        response.headers.get('content-type') === 'application/dns-json'
      ) {
        const json = (await response.json()) as { Status: number };
        assert.equal(typeof json.Status, 'number');
      }
    }),
    RUNS,
  );
});

test('random methods, paths, media types and credentials: never a 5xx', async () => {
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
  const path = fc.oneof(
    fc.constantFrom(
      '/dns-query',
      '/dns-query/t0ken',
      '/dns-query/x',
      '/resolve',
      '/',
      '/dns-query/',
      '/dns-query/a/b',
    ),
    fc.webPath(),
  );
  const header = fc.record({
    authorization: fc.constantFrom('Bearer t0ken', 'Bearer x', 'Basic x', ''),
    'content-type': fc.constantFrom(
      'application/dns-message',
      'application/dns-message; x=1',
      'text/plain',
      '',
    ),
  });
  await fc.assert(
    fc.asyncProperty(
      method,
      path,
      header,
      fc.uint8Array({ maxLength: 64 }),
      async (m, p, h, body) => {
        const headers = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ''));
        const request = new Request(`${ORIGIN}${p.startsWith('/') ? p : `/${p}`}`, {
          method: m,
          headers,
          body: m === 'GET' || m === 'HEAD' ? undefined : body,
        });
        const response = await app.request(request);
        assert.ok(response.status < 500, `${m} ${p}: ${response.status}`);
      },
    ),
    RUNS,
  );
  assert.deepEqual(errors, [], 'the resolver never threw');
});
