// The DoH case table, run by test/doh/run-cases.ts against every runtime (the app in-process,
// Node over HTTPS/HTTP2, Lambda events, Workers in workerd). Data: test/fixtures/sample-cluster.json
// with the default build options (zones cluster.local, in-addr.arpa, ip6.arpa; ttl 5). Expected
// answers are those of test/conformance/cases.ts (Kubernetes DNS spec, CoreDNS), never our output.
//
// DNS in presentation format; SOA serials written `*`. JSON records as the Google/Cloudflare JSON
// API prints them (developers.google.com/speed/public-dns/docs/doh/json).
import { MAX_BODY, MAX_GET_QUERY, MAX_URL } from '../../functions/doh/http-limits.ts';

/** What the runner sends. `wire`: a query for `q` ('name. TYPE'); `json`: /resolve (or /dns-query
 *  with Accept: application/dns-json) with these parameters; `raw`: exactly this request. */
export type Send =
  | { wire: 'GET' | 'POST'; q: string; id?: number; accept?: string; padTo?: number }
  | { json: Record<string, string>; via?: 'resolve' | 'accept' }
  | {
      raw: {
        method: string;
        path: string;
        headers?: Record<string, string>;
        body?: Uint8Array | string;
      };
    };

interface JsonRecordCase {
  name: string;
  type: number;
  TTL: number;
  data: string;
}

export interface DohCase {
  title: string;
  send: Send;
  /** Which fetcher: the runtime's (default), or `opts.servfail` (its store unreachable). */
  store?: 'servfail';
  /** Credentials, when the runtime requires a token: 'bearer' (default), none, a wrong one, or in the path. */
  auth?: 'none' | 'wrong' | 'path' | 'wrong-path';
  /** Cases that only mean something when the runtime requires a token. */
  onlyWithToken?: boolean;
  status: number;
  /** Expected response headers (names lowercase): a string is exact, a RegExp must match, null must be absent. */
  headers?: Record<string, string | RegExp | null>;
  /** A wire answer (application/dns-message). `id` defaults to the query's ID. */
  dns?: { rcode: string; answer: string[]; authority?: string[]; additional?: string[] };
  /** A JSON answer: these fields exactly; `Answer`/`Authority` absent when not given. */
  json?: {
    Status: number;
    Question: { name: string; type: number }[];
    Answer?: JsonRecordCase[];
    Authority?: JsonRecordCase[];
    TC?: boolean;
    RD?: boolean;
    CD?: boolean;
  };
}

const WIRE = { 'content-type': 'application/dns-message' };
const JSON_TYPE = { 'content-type': 'application/dns-json', 'access-control-allow-origin': '*' };
const ERROR = { 'content-type': /^text\/plain/, 'cache-control': 'no-store' };
const SOA = (zone: string) =>
  `${zone}. 5 IN SOA ns.dns.${zone}. hostmaster.${zone}. * 7200 1800 86400 5`;
const SOA_JSON = (zone: string): JsonRecordCase => ({
  name: `${zone}.`,
  type: 6,
  TTL: 5,
  data: `ns.dns.${zone}. hostmaster.${zone}. * 7200 1800 86400 5`,
});
const K8S = 'kubernetes.default.svc.cluster.local.';
const K8S_A = `${K8S} 5 IN A 10.96.0.1`;
const MISSING = 'nothing.default.svc.cluster.local.';

export const cases: DohCase[] = [
  // --- wire GET (RFC 8484 §4.1: ?dns= base64url, ID 0 recommended) ---
  {
    title:
      'GET NOERROR: A of kubernetes.default, ID 0 echoed, max-age = the answer TTL (RFC 8484 §5.1)',
    send: { wire: 'GET', q: `${K8S} A`, id: 0 },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=5' },
    dns: { rcode: 'NOERROR', answer: [K8S_A] },
  },
  {
    title:
      'GET NODATA: AAAA of an IPv4 service, SOA in authority, max-age = SOA negative TTL (RFC 2308 §5)',
    send: { wire: 'GET', q: `${K8S} AAAA` },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=5' },
    dns: { rcode: 'NOERROR', answer: [], authority: [SOA('cluster.local')] },
  },
  {
    title: 'GET NXDOMAIN is HTTP 200 (RFC 8484 §4.2.1), max-age = SOA negative TTL (RFC 2308 §5)',
    send: { wire: 'GET', q: `${MISSING} A` },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=5' },
    dns: { rcode: 'NXDOMAIN', answer: [], authority: [SOA('cluster.local')] },
  },
  {
    title: 'GET max-age follows the answer TTL: dns-version TXT has TTL 28800 (spec 2.2)',
    send: { wire: 'GET', q: 'dns-version.cluster.local. TXT' },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=28800' },
    dns: { rcode: 'NOERROR', answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
  },
  {
    title: 'GET outside our zones: REFUSED, HTTP 200, not cached',
    send: { wire: 'GET', q: 'example.com. A' },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'no-store' },
    dns: { rcode: 'REFUSED', answer: [] },
  },
  {
    title: 'GET echoes the question case (0x20) and a non-zero ID',
    send: { wire: 'GET', q: 'KuBeRnEtEs.default.svc.cluster.local. A', id: 0x1234 },
    status: 200,
    headers: WIRE,
    dns: { rcode: 'NOERROR', answer: ['KuBeRnEtEs.default.svc.cluster.local. 5 IN A 10.96.0.1'] },
  },
  {
    title: 'GET SERVFAIL when the store is unreachable: HTTP 200, never NXDOMAIN, not cached',
    send: { wire: 'GET', q: `${K8S} A` },
    store: 'servfail',
    status: 200,
    headers: { ...WIRE, 'cache-control': 'no-store' },
    dns: { rcode: 'SERVFAIL', answer: [] },
  },
  {
    title: `GET of a ${MAX_GET_QUERY}-byte query (EDNS padding, RFC 7830) fits the URL limit`,
    send: { wire: 'GET', q: `${K8S} A`, padTo: MAX_GET_QUERY },
    status: 200,
    headers: WIRE,
    dns: { rcode: 'NOERROR', answer: [K8S_A] },
  },

  // --- wire POST (RFC 8484 §4.1: application/dns-message body) ---
  {
    title: 'POST NOERROR, the ID answered as asked',
    send: { wire: 'POST', q: `${K8S} A`, id: 0xbeef },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=5' },
    dns: { rcode: 'NOERROR', answer: [K8S_A] },
  },
  {
    title: 'POST NXDOMAIN is HTTP 200',
    send: { wire: 'POST', q: `${MISSING} A` },
    status: 200,
    headers: { ...WIRE, 'cache-control': 'max-age=5' },
    dns: { rcode: 'NXDOMAIN', answer: [], authority: [SOA('cluster.local')] },
  },
  {
    title: 'POST NODATA',
    send: { wire: 'POST', q: `${K8S} AAAA` },
    status: 200,
    headers: WIRE,
    dns: { rcode: 'NOERROR', answer: [], authority: [SOA('cluster.local')] },
  },
  {
    title:
      'POST the largest sample answer whole: 3 SRV + their A records, no TC (no truncation over DoH)',
    send: { wire: 'POST', q: '_postgres._tcp.db-peers.data.svc.cluster.local. SRV' },
    status: 200,
    headers: WIRE,
    dns: {
      rcode: 'NOERROR',
      answer: [
        '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-1-10.db-peers.data.svc.cluster.local.',
        '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-2-11.db-peers.data.svc.cluster.local.',
        '_postgres._tcp.db-peers.data.svc.cluster.local. 5 IN SRV 0 33 5432 10-244-1-12.db-peers.data.svc.cluster.local.',
      ],
      additional: [
        '10-244-1-10.db-peers.data.svc.cluster.local. 5 IN A 10.244.1.10',
        '10-244-2-11.db-peers.data.svc.cluster.local. 5 IN A 10.244.2.11',
        '10-244-1-12.db-peers.data.svc.cluster.local. 5 IN A 10.244.1.12',
      ],
    },
  },
  {
    title: 'POST SERVFAIL when the store is unreachable',
    send: { wire: 'POST', q: `${K8S} A`, id: 7 },
    store: 'servfail',
    status: 200,
    headers: { ...WIRE, 'cache-control': 'no-store' },
    dns: { rcode: 'SERVFAIL', answer: [] },
  },
  {
    title: 'POST with Accept: application/dns-json answers JSON',
    send: { wire: 'POST', q: `${K8S} A`, accept: 'application/dns-json' },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      Question: [{ name: K8S, type: 1 }],
      Answer: [{ name: K8S, type: 1, TTL: 5, data: '10.96.0.1' }],
    },
  },

  // --- JSON API (/resolve, and /dns-query with Accept: application/dns-json) ---
  {
    title: 'JSON /resolve NOERROR with CORS and max-age',
    send: { json: { name: 'kubernetes.default.svc.cluster.local', type: 'A' } },
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'max-age=5' },
    json: {
      Status: 0,
      TC: false,
      RD: true,
      CD: false,
      Question: [{ name: K8S, type: 1 }],
      Answer: [{ name: K8S, type: 1, TTL: 5, data: '10.96.0.1' }],
    },
  },
  {
    title: 'JSON type by number (1 = A) and name with a trailing dot',
    send: { json: { name: K8S, type: '1' } },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      Question: [{ name: K8S, type: 1 }],
      Answer: [{ name: K8S, type: 1, TTL: 5, data: '10.96.0.1' }],
    },
  },
  {
    title: 'JSON type defaults to A; cd=1 sets CD',
    send: { json: { name: K8S, cd: '1' } },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      CD: true,
      Question: [{ name: K8S, type: 1 }],
      Answer: [{ name: K8S, type: 1, TTL: 5, data: '10.96.0.1' }],
    },
  },
  {
    title: 'JSON NODATA: Status 0, no Answer, SOA in Authority',
    send: { json: { name: K8S, type: 'AAAA' } },
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'max-age=5' },
    json: {
      Status: 0,
      Question: [{ name: K8S, type: 28 }],
      Authority: [SOA_JSON('cluster.local')],
    },
  },
  {
    title: 'JSON NXDOMAIN: Status 3, HTTP 200',
    send: { json: { name: MISSING, type: 'a' } },
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'max-age=5' },
    json: {
      Status: 3,
      Question: [{ name: MISSING, type: 1 }],
      Authority: [SOA_JSON('cluster.local')],
    },
  },
  {
    title: 'JSON SRV data "priority weight port target."',
    send: { json: { name: `_https._tcp.${K8S}`, type: 'SRV' } },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      Question: [{ name: `_https._tcp.${K8S}`, type: 33 }],
      Answer: [{ name: `_https._tcp.${K8S}`, type: 33, TTL: 5, data: `0 100 443 ${K8S}` }],
    },
  },
  {
    title: 'JSON PTR data is the name with its trailing dot',
    send: { json: { name: '1.0.96.10.in-addr.arpa', type: 'PTR' } },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      Question: [{ name: '1.0.96.10.in-addr.arpa.', type: 12 }],
      Answer: [{ name: '1.0.96.10.in-addr.arpa.', type: 12, TTL: 5, data: K8S }],
    },
  },
  {
    title: 'JSON TXT data quoted, max-age 28800',
    send: { json: { name: 'dns-version.cluster.local', type: 'TXT' } },
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'max-age=28800' },
    json: {
      Status: 0,
      Question: [{ name: 'dns-version.cluster.local.', type: 16 }],
      Answer: [{ name: 'dns-version.cluster.local.', type: 16, TTL: 28800, data: '"1.1.0"' }],
    },
  },
  {
    title: 'JSON CNAME of an ExternalName service',
    send: { json: { name: 'billing.shop.svc.cluster.local', type: 'A' } },
    status: 200,
    headers: JSON_TYPE,
    json: {
      Status: 0,
      Question: [{ name: 'billing.shop.svc.cluster.local.', type: 1 }],
      Answer: [
        { name: 'billing.shop.svc.cluster.local.', type: 5, TTL: 5, data: 'billing.example.com.' },
      ],
    },
  },
  {
    title: 'JSON on /dns-query with Accept: application/dns-json',
    send: { json: { name: K8S, type: 'A' }, via: 'accept' },
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'max-age=5' },
    json: {
      Status: 0,
      Question: [{ name: K8S, type: 1 }],
      Answer: [{ name: K8S, type: 1, TTL: 5, data: '10.96.0.1' }],
    },
  },
  {
    title: 'JSON SERVFAIL: Status 2, HTTP 200, not cached',
    send: { json: { name: K8S, type: 'A' } },
    store: 'servfail',
    status: 200,
    headers: { ...JSON_TYPE, 'cache-control': 'no-store' },
    json: { Status: 2, Question: [{ name: K8S, type: 1 }] },
  },
  {
    title: 'JSON without name: 400',
    send: { json: { type: 'A' } },
    status: 400,
    headers: { ...ERROR, 'access-control-allow-origin': '*' },
  },
  {
    title: 'JSON unknown type name: 400',
    send: { json: { name: K8S, type: 'NOPE' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'JSON type out of range: 400',
    send: { json: { name: K8S, type: '65536' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'JSON label over 63 characters: 400 (RFC 1035 §2.3.4)',
    send: { json: { name: `${'a'.repeat(64)}.cluster.local`, type: 'A' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'JSON empty label: 400',
    send: { json: { name: 'a..cluster.local', type: 'A' } },
    status: 400,
    headers: ERROR,
  },

  // --- bad HTTP input (RFC 8484 §4.1, RFC 9110 §15.5) ---
  {
    title: 'GET without dns: 400',
    send: { raw: { method: 'GET', path: '/dns-query' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns not base64url: 400',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AAAB!!AA' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns with padding: 400 (RFC 8484 §4.1: no padding)',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AAABAAABAAAAAAAAAAA=' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns of 4n+1 characters: 400',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AAAAA' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns shorter than a header: 400',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AAEAAA' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns undecodable (question runs past the end): 400',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AAABAAABAAAAAAAAPw' } },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'GET dns holding a response (QR set): 400',
    send: { raw: { method: 'GET', path: '/dns-query?dns=AACBAAABAAAAAAAAAAABAAE' } },
    status: 400,
    headers: ERROR,
  },
  {
    // The Node fast path reads the body, finds FORMERR and hands the request to the app with it.
    title: 'POST a body that is no DNS query: 400 (FORMERR, RFC 8484 §4.2.1)',
    send: {
      raw: {
        method: 'POST',
        path: '/dns-query',
        headers: { 'content-type': 'application/dns-message' },
        body: new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 1, 2]),
      },
    },
    status: 400,
    headers: ERROR,
  },
  {
    title: 'POST empty body: 400',
    send: {
      raw: {
        method: 'POST',
        path: '/dns-query',
        headers: { 'content-type': 'application/dns-message' },
        body: new Uint8Array(0),
      },
    },
    status: 400,
    headers: ERROR,
  },
  {
    title: `POST body over ${MAX_BODY} bytes: 413 (RFC 8484 §6)`,
    send: {
      raw: {
        method: 'POST',
        path: '/dns-query',
        headers: { 'content-type': 'application/dns-message' },
        body: new Uint8Array(MAX_BODY + 1),
      },
    },
    status: 413,
    headers: ERROR,
  },
  {
    title: `URL over ${MAX_URL} characters: 414`,
    send: { raw: { method: 'GET', path: `/dns-query?dns=${'A'.repeat(MAX_URL)}` } },
    status: 414,
    headers: ERROR,
  },
  {
    title: 'POST with another media type: 415',
    send: {
      raw: {
        method: 'POST',
        path: '/dns-query',
        headers: { 'content-type': 'text/plain' },
        body: 'AAABAAABAAAAAAAA',
      },
    },
    status: 415,
    headers: ERROR,
  },
  {
    title: 'POST without a media type: 415',
    send: { raw: { method: 'POST', path: '/dns-query', body: new Uint8Array(17) } },
    status: 415,
    headers: ERROR,
  },
  {
    title: 'PUT /dns-query: 405 with Allow',
    send: {
      raw: {
        method: 'PUT',
        path: '/dns-query',
        headers: { 'content-type': 'application/dns-message' },
        body: new Uint8Array(17),
      },
    },
    status: 405,
    headers: { ...ERROR, allow: 'GET, POST, OPTIONS' },
  },
  {
    title: 'DELETE /resolve: 405 with Allow',
    send: { raw: { method: 'DELETE', path: '/resolve?name=a' } },
    status: 405,
    headers: { ...ERROR, allow: 'GET, OPTIONS' },
  },
  {
    title: 'POST /resolve: 405 (the JSON API is GET only)',
    send: {
      raw: {
        method: 'POST',
        path: '/resolve',
        headers: { 'content-type': 'application/dns-message' },
        body: new Uint8Array(17),
      },
    },
    status: 405,
    headers: ERROR,
  },
  {
    title: 'another path: 404',
    send: { raw: { method: 'GET', path: '/dns' } },
    status: 404,
    headers: ERROR,
  },

  // --- CORS (Fetch standard, CORS protocol): a browser page may call the JSON API ---
  {
    title: 'CORS preflight for /resolve with Authorization: 204 without a token',
    auth: 'none',
    send: {
      raw: {
        method: 'OPTIONS',
        path: '/resolve?name=a',
        headers: {
          origin: 'https://page.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      },
    },
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': /GET/,
      'access-control-allow-headers': /authorization/i,
    },
  },
  {
    title: 'CORS on a JSON error too',
    send: { json: { name: 'a..b' } },
    status: 400,
    headers: { 'access-control-allow-origin': '*' },
  },

  // --- auth at the edge (closed by default, docs/architecture.md §1; RFC 6750) ---
  {
    title: 'no token: 401 with a Bearer challenge',
    onlyWithToken: true,
    auth: 'none',
    send: { wire: 'GET', q: `${K8S} A` },
    status: 401,
    headers: { ...ERROR, 'www-authenticate': /^Bearer realm="edge-dns"$/ },
  },
  {
    title: 'wrong token: 401 invalid_token',
    onlyWithToken: true,
    auth: 'wrong',
    send: { wire: 'GET', q: `${K8S} A` },
    status: 401,
    headers: { ...ERROR, 'www-authenticate': /error="invalid_token"/ },
  },
  {
    title: 'no token on POST: 401',
    onlyWithToken: true,
    auth: 'none',
    send: { wire: 'POST', q: `${K8S} A` },
    status: 401,
    headers: { 'www-authenticate': /^Bearer / },
  },
  {
    title: 'no token on the JSON API: 401 (with CORS, so the page can read it)',
    onlyWithToken: true,
    auth: 'none',
    send: { json: { name: K8S } },
    status: 401,
    headers: { 'www-authenticate': /^Bearer /, 'access-control-allow-origin': '*' },
  },
  {
    title: 'token in the path: /dns-query/<token> GET',
    onlyWithToken: true,
    auth: 'path',
    send: { wire: 'GET', q: `${K8S} A` },
    status: 200,
    headers: WIRE,
    dns: { rcode: 'NOERROR', answer: [K8S_A] },
  },
  {
    title: 'token in the path: /dns-query/<token> POST',
    onlyWithToken: true,
    auth: 'path',
    send: { wire: 'POST', q: `${MISSING} A` },
    status: 200,
    headers: WIRE,
    dns: { rcode: 'NXDOMAIN', answer: [], authority: [SOA('cluster.local')] },
  },
  {
    title: 'wrong token in the path: 401',
    onlyWithToken: true,
    auth: 'wrong-path',
    send: { wire: 'GET', q: `${K8S} A` },
    status: 401,
    headers: { 'www-authenticate': /error="invalid_token"/ },
  },
];

/** The large-answer case needs test/fixtures/large-headless.json published too; skipped otherwise. */
export const LARGE = { q: 'many.big.svc.cluster.local. A', records: 120 };
