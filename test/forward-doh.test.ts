// The DoH upstream (functions/forward/upstream-doh.ts) against the project's own DoH server acting
// as upstream on loopback (HTTPS + HTTP/2, the sample cluster), and against scripted HTTP servers
// for what a bad upstream does. Traffic stays on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as dnsPacket from 'dns-packet';
import { dohApp } from '../functions/doh/app.ts';
import { serveDoh, type DohListener } from '../functions/doh/node-server.ts';
import { DohUpstream } from '../functions/forward/upstream-doh.ts';
import { UpstreamPool } from '../functions/forward/upstream-pool.ts';
import { UpstreamError } from '../functions/forward/upstream.ts';
import { resolverFor, sampleStore } from './doh/sample-app.ts';
import { http2Fetcher } from './support/http2-fetcher.ts';
import { closedPort } from './support/closed-port.ts';
import { toPresentation } from './support/presentation.ts';

const tls = {
  cert: readFileSync('test/fixtures/tls/localhost.crt'),
  key: readFileSync('test/fixtures/tls/localhost.key'),
};
const F = { cd: false, do: false };
const q = (name: string, type = 'A') => ({ name, type, class: 'IN' });
const query = (id: number, name: string) =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'A', class: 'IN' }],
  });

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => assert.fail('expected the exchange to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UpstreamError, `expected an UpstreamError, got ${String(error)}`);
  return error;
}

test('our own DoH server as upstream, over HTTPS/HTTP2: answers pass through the pool', async () => {
  const store = sampleStore();
  const upstream = await serveDoh(dohApp({ resolve: resolverFor(store) }).fetch, {
    host: '127.0.0.1',
    port: 0,
    tls,
  });
  const h2 = http2Fetcher(upstream.url);
  try {
    const pool = new UpstreamPool({
      upstreams: [new DohUpstream({ url: `${upstream.url}/dns-query`, fetch: (r) => h2.fetch(r) })],
      log: () => {},
    });
    const hit = await pool.ask(q('kubernetes.default.svc.cluster.local'), F);
    assert.deepEqual(
      [hit.rcode, hit.answers.map(toPresentation)],
      ['NOERROR', ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1']],
    );
    const miss = await pool.ask(q('nothing.default.svc.cluster.local'), F);
    assert.equal(miss.rcode, 'NXDOMAIN');
    assert.match(toPresentation(miss.authorities[0]!), /^cluster\.local\. 5 IN SOA /);
    assert.deepEqual(pool.stats.failures, { [`${upstream.url}/dns-query`]: 0 });
  } finally {
    h2.close();
    await upstream.close();
  }
});

test('an edge that needs a token: 401 fails the exchange; with the configured header it answers', async () => {
  const app = dohApp({ resolve: resolverFor(sampleStore()), auth: { tokens: ['s3cret'] } });
  const upstream = await serveDoh(app.fetch, { host: '127.0.0.1', port: 0 });
  try {
    const url = `${upstream.url}/dns-query`;
    const error = await rejection(
      new DohUpstream({ url }).exchange(query(7, 'kubernetes.default.svc.cluster.local')),
    );
    assert.equal(error.reason, 'network');
    assert.match(error.message, /HTTP 401/);
    const reply = dnsPacket.decode(
      Buffer.from(
        await new DohUpstream({ url, headers: { authorization: 'Bearer s3cret' } }).exchange(
          query(7, 'kubernetes.default.svc.cluster.local'),
        ),
      ),
    );
    assert.deepEqual([reply.id, reply.answers?.length], [7, 1]);
  } finally {
    await upstream.close();
  }
});

/** A plain-HTTP server whose every reply is `respond(query bytes)`. */
async function scripted(
  respond: (query: Uint8Array) => Response | Promise<Response>,
): Promise<DohListener> {
  return serveDoh(async (request) => respond(new Uint8Array(await request.arrayBuffer())), {
    host: '127.0.0.1',
    port: 0,
  });
}

const wire = (body: Uint8Array, type = 'application/dns-message') =>
  new Response(new Uint8Array(body), { headers: { 'content-type': type } });
const answerTo = (query: Uint8Array, patch: { id?: number; name?: string } = {}) => {
  const p = dnsPacket.decode(Buffer.from(query));
  const name = patch.name ?? p.questions![0]!.name;
  return dnsPacket.encode({
    type: 'response',
    id: patch.id ?? p.id,
    flags: 0,
    questions: [{ name, type: 'A', class: 'IN' }],
    answers: [{ name, type: 'A', class: 'IN', ttl: 60, data: '127.0.0.9' }],
  });
};

const bad: {
  title: string;
  respond: (query: Uint8Array) => Response | Promise<Response>;
  reason: UpstreamError['reason'];
  message: RegExp;
}[] = [
  {
    title: 'a reply with another ID',
    respond: (qb) => wire(answerTo(qb, { id: 1 })),
    reason: 'malformed',
    message: /does not answer our query \(id\)/,
  },
  {
    title: 'a reply to another question',
    respond: (qb) => wire(answerTo(qb, { name: 'evil.example' })),
    reason: 'malformed',
    message: /\(name\)/,
  },
  {
    title: 'the wrong media type',
    respond: (qb) => wire(answerTo(qb), 'text/html'),
    reason: 'malformed',
    message: /text\/html/,
  },
  {
    title: 'HTTP 500',
    respond: () => new Response('down', { status: 500 }),
    reason: 'network',
    message: /HTTP 500/,
  },
  {
    title: 'no reply in time',
    respond: () => new Promise<Response>(() => {}),
    reason: 'timeout',
    message: /no reply within 200 ms/,
  },
];

for (const c of bad) {
  test(`a DoH upstream that sends ${c.title}: the exchange fails (${c.reason})`, async () => {
    const server = await scripted(c.respond);
    try {
      const error = await rejection(
        new DohUpstream({ url: `${server.url}/dns-query`, timeoutMs: 200 }).exchange(
          query(4242, 'www.example.com'),
        ),
      );
      assert.equal(error.reason, c.reason);
      assert.match(error.message, c.message);
    } finally {
      await server.close();
    }
  });
}

test('a DoH upstream that answers well after one that fails: the pool moves on', async () => {
  const good = await scripted((qb) => wire(answerTo(qb)));
  const port = await closedPort();
  try {
    const pool = new UpstreamPool({
      upstreams: [
        new DohUpstream({ url: `http://127.0.0.1:${port}/dns-query` }),
        new DohUpstream({ url: `${good.url}/dns-query` }),
      ],
      policy: 'sequential',
      log: () => {},
    });
    const s = await pool.ask(q('www.example.com'), F);
    assert.deepEqual(s.answers.map(toPresentation), ['www.example.com. 60 IN A 127.0.0.9']);
    assert.equal(pool.stats.failures[`http://127.0.0.1:${port}/dns-query`], 1);
  } finally {
    await good.close();
  }
});
