// Runs the DoH case table (cases.ts) through any runtime: a Fetcher takes a Request whose URL has
// the origin https://edge-dns.test (rewrite it to reach a real server) and returns the Response.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet, RecordType } from 'dns-packet';
import { cases, LARGE, type DohCase, type Send } from './cases.ts';
import { encodeBase64Url } from '../../functions/doh/base64url.ts';
import { toPresentation } from '../support/presentation.ts';

export type Fetcher = (request: Request) => Promise<Response>;

export interface DohCaseOptions {
  /** The runtime requires this bearer token: every case sends it, and the auth cases run. */
  token?: string;
  /** A fetcher whose store is unreachable, for the SERVFAIL cases (skipped when absent). */
  servfail?: Fetcher;
}

export const ORIGIN = 'https://edge-dns.test';

/**
 * Registers node:test subtests that run every case through `fetcher`. The data must be the sample
 * cluster (test/fixtures/sample-cluster.json, default build options), published to whatever store
 * the runtime reads. `opts.token`: when the runtime requires auth, the token the cases send
 * (Authorization: Bearer) — and the auth cases (401 without/with a wrong token, the
 * /dns-query/<token> path form) run only then. `opts.servfail`: a Fetcher (or undefined) whose
 * store is unreachable, for the SERVFAIL case.
 */
export async function runDohCases(
  t: TestContext,
  fetcher: Fetcher,
  opts: DohCaseOptions,
): Promise<void> {
  for (const c of cases) {
    await t.test(c.title, async (t) => {
      if (c.onlyWithToken && opts.token === undefined)
        return t.skip('the runtime requires no token');
      const target = c.store === 'servfail' ? opts.servfail : fetcher;
      if (!target) return t.skip('no fetcher with an unreachable store given');
      const { request, id } = buildRequest(c, opts.token);
      const response = await target(request);
      await check(c, response, id);
    });
  }
  await t.test(
    'a large answer (120 A records) comes whole over DoH, never truncated',
    async (t) => {
      const query = dnsPacket.encode(packet(LARGE.q, 0));
      const headers = withAuth({ accept: 'application/dns-message' }, opts.token);
      const response = await fetcher(
        new Request(`${ORIGIN}/dns-query?dns=${encodeBase64Url(query)}`, { headers }),
      );
      assert.equal(response.status, 200);
      const body = Buffer.from(await response.arrayBuffer());
      const reply = dnsPacket.decode(body);
      if (rcode(reply) === 'NXDOMAIN')
        return t.skip('test/fixtures/large-headless.json is not published to this store');
      assert.equal(reply.flag_tc, false, 'TC must stay clear over DoH');
      assert.equal(reply.answers?.length, LARGE.records);
      assert.ok(
        body.length > 512,
        `answer of ${body.length} bytes should exceed the 512-byte UDP limit`,
      );
    },
  );
}

export function buildRequest(
  c: DohCase,
  token: string | undefined,
): { request: Request; id?: number } {
  const auth = c.auth ?? 'bearer';
  const headers: Record<string, string> = {};
  let prefix = '/dns-query';
  if (token !== undefined) {
    if (auth === 'bearer') headers.authorization = `Bearer ${token}`;
    if (auth === 'wrong') headers.authorization = `Bearer not-${token}`;
    if (auth === 'path') prefix = `/dns-query/${encodeURIComponent(token)}`;
    if (auth === 'wrong-path') prefix = `/dns-query/not-${encodeURIComponent(token)}`;
  }
  const send: Send = c.send;
  if ('raw' in send) {
    const { method, path, body } = send.raw;
    return {
      request: new Request(`${ORIGIN}${path}`, {
        method,
        headers: { ...headers, ...send.raw.headers },
        body: body as BodyInit | undefined,
      }),
    };
  }
  if ('json' in send) {
    const params = new URLSearchParams(send.json).toString();
    if (send.via === 'accept')
      return {
        request: new Request(`${ORIGIN}${prefix}?${params}`, {
          headers: { ...headers, accept: 'application/dns-json' },
        }),
      };
    return { request: new Request(`${ORIGIN}/resolve?${params}`, { headers }) };
  }
  const id = send.id ?? 0;
  const query = padded(dnsPacket.encode(packet(send.q, id, send.padTo !== undefined)), send.padTo);
  headers.accept = send.accept ?? 'application/dns-message';
  if (send.wire === 'GET')
    return {
      request: new Request(`${ORIGIN}${prefix}?dns=${encodeBase64Url(query)}`, { headers }),
      id,
    };
  headers['content-type'] = 'application/dns-message';
  return {
    request: new Request(`${ORIGIN}${prefix}`, {
      method: 'POST',
      headers,
      body: new Uint8Array(query),
    }),
    id,
  };
}

function withAuth(
  headers: Record<string, string>,
  token: string | undefined,
): Record<string, string> {
  return token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` };
}

/** A query for 'name. TYPE' with RD, as stub resolvers send it; with an empty OPT for padding. */
function packet(q: string, id: number, edns = false): Packet {
  const [name, type] = q.split(/\s+/) as [string, string];
  const query: Packet = {
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: name.replace(/\.$/, ''), type: type as RecordType, class: 'IN' }],
  };
  if (edns)
    query.additionals = [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 1232,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        options: [],
      } as never,
    ];
  return query;
}

/** The query grown to `size` bytes with an EDNS Padding option (RFC 7830 §3) in its OPT record. */
function padded(query: Buffer, size: number | undefined): Buffer {
  if (size === undefined) return query;
  const grow = size - query.length - 4; // option code + length
  assert.ok(grow >= 0, 'query already larger than the padded size');
  const out = Buffer.concat([
    query,
    Buffer.from([0, 12, grow >> 8, grow & 0xff]),
    Buffer.alloc(grow),
  ]);
  out.writeUInt16BE(
    out.readUInt16BE(out.length - grow - 4 - 2) + 4 + grow,
    out.length - grow - 4 - 2,
  ); // OPT RDLENGTH
  return out;
}

async function check(c: DohCase, response: Response, id: number | undefined): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const where = `${c.title}: got ${response.status} ${response.headers.get('content-type') ?? ''} ${body.length < 200 ? JSON.stringify(body.toString('latin1')) : `${body.length} bytes`}`;
  assert.equal(response.status, c.status, where);
  for (const [name, want] of Object.entries(c.headers ?? {})) {
    const got = response.headers.get(name);
    if (want === null) assert.equal(got, null, `${where}: header ${name} should be absent`);
    else if (typeof want === 'string') assert.equal(got, want, `${where}: header ${name}`);
    else assert.match(got ?? '', want, `${where}: header ${name}`);
  }
  if (c.dns) {
    const reply = dnsPacket.decode(body);
    assert.equal(reply.type, 'response', `${where}: QR`);
    if (id !== undefined)
      assert.equal(reply.id, id, `${where}: the DNS ID answered as asked (RFC 8484 §4.1)`);
    assert.equal(rcode(reply), c.dns.rcode, `${where}: rcode`);
    assert.equal(reply.flag_tc, false, `${where}: never truncated over DoH`);
    assert.deepEqual(lines(reply.answers), [...c.dns.answer].sort(), `${where}: answer section`);
    if (c.dns.authority)
      assert.deepEqual(
        lines(reply.authorities),
        [...c.dns.authority].sort(),
        `${where}: authority section`,
      );
    if (c.dns.additional)
      assert.deepEqual(
        lines(reply.additionals),
        [...c.dns.additional].sort(),
        `${where}: additional section`,
      );
  }
  if (c.json) {
    const got = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    for (const key of ['Status', 'TC', 'RD', 'RA', 'AD', 'CD'])
      assert.ok(key in got, `${where}: JSON field ${key}`);
    for (const [key, want] of Object.entries(c.json)) {
      const value = key === 'Answer' || key === 'Authority' ? serialless(got[key]) : got[key];
      assert.deepEqual(value, want, `${where}: JSON ${key}`);
    }
    if (!c.json.Answer) assert.equal(got.Answer, undefined, `${where}: no Answer`);
    if (!c.json.Authority) assert.equal(got.Authority, undefined, `${where}: no Authority`);
  }
}

function rcode(reply: DecodedPacket): string {
  return (
    ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][(reply.flags ?? 0) & 0xf] ??
    `RCODE${(reply.flags ?? 0) & 0xf}`
  );
}

/** Presentation lines, sorted, OPT left out, SOA serials as `*`. */
function lines(rrs: DecodedPacket['answers']): string[] {
  return (rrs ?? [])
    .filter((rr) => rr.type !== 'OPT')
    .map((rr) => toPresentation(rr).replace(/^(\S+ \d+ IN SOA \S+ \S+) \d+/, '$1 *'))
    .sort();
}

/** JSON records with SOA serials as `*`. */
function serialless(records: unknown): unknown {
  if (!Array.isArray(records)) return records;
  return records.map((r: { type?: number; data?: string }) =>
    r.type === 6 && typeof r.data === 'string'
      ? { ...r, data: r.data.replace(/^(\S+ \S+) \d+/, '$1 *') }
      : r,
  );
}
