// DoH authorization with JWT scopes (docs/architecture.md §6.19) against the three runtimes: the
// container's DoH (the entry process from source), the BUILT Lambda bundle (reading dynalite
// filled by the real sync) and the BUILT Worker in workerd (miniflare). Keys: an HS256 secret
// and an ES256 key as a JWK Set and an RS256 PEM key in the configuration, an EdDSA key only at a
// JWK Set URL this test serves on 127.0.0.1. A table of tokens: valid ones are answered (inside
// their scope) or REFUSED (outside it); expired, forged, `alg: none`, wrong audience or issuer
// get 401 and never an answer. Then a budget per token: one token flooding gets 429 with
// Retry-After while another is answered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { Miniflare } from 'miniflare';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  publishedTable,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher } from './support/lambda-events.ts';
import type { Dynalite } from './support/dynalite.ts';

const AUD = 'edge-dns-test';
const ISS = 'https://issuer.test';
const STATIC = 'static-token-0123456789abcdef';
const FLOOD = 'flooding-token-0123456789abcdef';
const CLUSTER = 'ci';
/** 5 requests at once per token, then one every 100 s: the table spends at most 2 per token. */
const BUDGET = '0.01 5';
const GUARD = { timeout: 120_000 };
const NOW = Math.floor(Date.now() / 1000);

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-auth-'));
type Fetcher = (request: Request) => Promise<Response>;
const runtimes: [string, Fetcher][] = [];
let container: EntryProcess;
let jwks: Server;
let db: Dynalite;
let mf: Miniflare;

// Keys: HS256 (oct JWK), ES256 (JWK), RS256 (PEM), EdDSA (JWK at the URL), and another ES256
// key with the same kid, the forger's.
const hs = crypto.getRandomValues(new Uint8Array(32));
const es = await generateKeyPair('ES256', { extractable: true });
const rs = await generateKeyPair('RS256', { extractable: true });
const ed = await generateKeyPair('EdDSA', { extractable: true });
const forger = await generateKeyPair('ES256', { extractable: true });
const jwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({
  ...(await exportJWK(key)),
  kid,
  alg,
});
const keysText = [
  JSON.stringify({
    keys: [
      { kty: 'oct', k: Buffer.from(hs).toString('base64url'), kid: 'hs', alg: 'HS256' },
      await jwk(es.publicKey, 'es', 'ES256'),
    ],
  }),
  await exportSPKI(rs.publicKey),
].join('\n');

/** A JWT signed with `key` (header alg and kid as given), claims over the defaults. */
async function jwt(
  alg: string,
  key: CryptoKey | Uint8Array,
  claims: JWTPayload,
  kid?: string,
): Promise<string> {
  const base = { namespaces: ['default'], aud: AUD, iss: ISS, iat: NOW, exp: NOW + 600 };
  return new SignJWT({ ...base, ...claims })
    .setProtectedHeader({ alg, ...(kid && { kid }) })
    .sign(key);
}

const unsigned = (claims: JWTPayload) =>
  [
    { alg: 'none', typ: 'JWT' },
    { aud: AUD, iss: ISS, exp: NOW + 600, sub: 'none', ...claims },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.') + '.';

const KUBERNETES = 'kubernetes.default.svc.cluster.local';

/** The table: a token, the name asked, and what comes back (an HTTP status, or 200 and rcode). */
const table: {
  title: string;
  token: () => Promise<string | undefined>;
  name: string;
  want: string;
}[] = [
  {
    title: 'valid HS256',
    token: () => jwt('HS256', hs, { sub: 'hs' }, 'hs'),
    name: KUBERNETES,
    want: 'NOERROR',
  },
  {
    title: 'valid RS256 (PEM, no kid)',
    token: () => jwt('RS256', rs.privateKey, { sub: 'rs' }),
    name: KUBERNETES,
    want: 'NOERROR',
  },
  {
    title: 'valid ES256',
    token: () => jwt('ES256', es.privateKey, { sub: 'es' }, 'es'),
    name: KUBERNETES,
    want: 'NOERROR',
  },
  {
    title: 'valid EdDSA (JWK Set URL)',
    token: () => jwt('EdDSA', ed.privateKey, { sub: 'ed' }, 'ed'),
    name: KUBERNETES,
    want: 'NOERROR',
  },
  { title: 'static bearer token', token: async () => STATIC, name: KUBERNETES, want: 'NOERROR' },
  {
    title: 'scope outside the name: namespace',
    token: () => jwt('ES256', es.privateKey, { sub: 'shop', namespaces: ['shop'] }, 'es'),
    name: KUBERNETES,
    want: 'REFUSED',
  },
  {
    title: 'scope outside the name: zone',
    token: () => jwt('HS256', hs, { sub: 'zone', zones: ['shop.svc.cluster.local'] }, 'hs'),
    name: KUBERNETES,
    want: 'REFUSED',
  },
  {
    title: 'scope outside the name: cluster',
    token: () => jwt('HS256', hs, { sub: 'east', clusters: ['east'] }, 'hs'),
    name: KUBERNETES,
    want: 'REFUSED',
  },
  {
    title: 'scope inside: its namespace',
    token: () =>
      jwt(
        'ES256',
        es.privateKey,
        { sub: 'shop2', namespaces: ['shop'], clusters: [CLUSTER] },
        'es',
      ),
    name: 'cart.shop.svc.cluster.local',
    want: 'NOERROR',
  },
  {
    title: 'scope: reverse names refused to a namespace token',
    token: () => jwt('HS256', hs, { sub: 'ptr' }, 'hs'),
    name: '1.0.96.10.in-addr.arpa',
    want: 'REFUSED',
  },
  {
    title: 'expired',
    token: () =>
      jwt('ES256', es.privateKey, { sub: 'old', exp: NOW - 3600, iat: NOW - 7200 }, 'es'),
    name: KUBERNETES,
    want: '401',
  },
  {
    title: 'no exp',
    token: () =>
      new SignJWT({ sub: 'forever' })
        .setProtectedHeader({ alg: 'HS256', kid: 'hs' })
        .setAudience(AUD)
        .setIssuer(ISS)
        .sign(hs),
    name: KUBERNETES,
    want: '401',
  },
  {
    title: 'forged signature (another key, same kid)',
    token: () => jwt('ES256', forger.privateKey, { sub: 'es' }, 'es'),
    name: KUBERNETES,
    want: '401',
  },
  { title: 'alg none', token: async () => unsigned({}), name: KUBERNETES, want: '401' },
  {
    title: 'wrong audience',
    token: () => jwt('ES256', es.privateKey, { sub: 'aud', aud: 'another-service' }, 'es'),
    name: KUBERNETES,
    want: '401',
  },
  {
    title: 'wrong issuer',
    token: () => jwt('ES256', es.privateKey, { sub: 'iss', iss: 'https://other.test' }, 'es'),
    name: KUBERNETES,
    want: '401',
  },
  {
    title: 'a claim of the wrong shape',
    token: () => jwt('ES256', es.privateKey, { sub: 'shape', namespaces: 'default' }, 'es'),
    name: KUBERNETES,
    want: '401',
  },
  { title: 'no token', token: async () => undefined, name: KUBERNETES, want: '401' },
];

const wireGet = (name: string, token?: string, id = 7) => {
  const dns = Buffer.from(
    dnsPacket.encode(makeQuery(name, name.endsWith('.arpa') ? 'PTR' : 'A', { id })),
  ).toString('base64url');
  return new Request(`https://edge-dns.test/dns-query?dns=${dns}`, {
    headers: {
      accept: 'application/dns-message',
      ...(token && { authorization: `Bearer ${token}` }),
    },
  });
};

/** What came back, as the table writes it: 200 and the rcode, or the status. */
async function outcome(res: Response): Promise<string> {
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) {
    if (res.status === 401)
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="edge-dns"/);
    assert.ok(!body.length || !body.toString('utf8').includes('\u0000'), 'never a DNS answer');
    return String(res.status);
  }
  return rcodeOf(dnsPacket.decode(body));
}

before(async () => {
  // The JWK Set URL, holding the EdDSA key only.
  jwks = createServer((_req, res) => {
    void jwk(ed.publicKey, 'ed', 'EdDSA').then((key) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [key] }));
    });
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`;
  const keysFile = join(dir, 'keys.txt');
  writeFileSync(keysFile, keysText);

  container = startEntry('functions/entry/container.ts', [
    ...['--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0', '--doh', '127.0.0.1:0'],
    ...[
      '--doh-tokens',
      `${STATIC},${FLOOD}`,
      '--doh-jwt-keys',
      keysFile,
      '--doh-jwks-url',
      jwksUrl,
    ],
    ...['--doh-jwt-audience', AUD, '--doh-jwt-issuer', ISS, '--doh-token-budget', BUDGET],
    ...['--doh-cluster', CLUSTER],
  ]);
  await container.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
  const doh = /DoH on (http:\/\/127\.0\.0\.1:\d+)/.exec(container.stdout())![1]!;
  runtimes.push([
    'container',
    (r) => fetch(r.url.replace('https://edge-dns.test', doh), { headers: r.headers }),
  ]);

  const env = {
    EDGE_DNS_TABLE: '',
    EDGE_DNS_CLUSTER: CLUSTER,
    EDGE_DNS_TOKENS: `${STATIC},${FLOOD}`,
    EDGE_DNS_JWT_KEYS: keysText,
    EDGE_DNS_JWKS_URL: jwksUrl,
    EDGE_DNS_JWT_AUDIENCE: AUD,
    EDGE_DNS_JWT_ISSUER: ISS,
    EDGE_DNS_TOKEN_BUDGET: BUDGET,
    EDGE_DNS_METRICS: 'off',
  };
  db = await publishedTable(CLUSTER, [SAMPLE_CLUSTER]);
  Object.assign(env, { EDGE_DNS_TABLE: db.table, EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint });

  setLambdaCredentials();
  const lambda = await lambdaInstances(buildLambdaBundle())({ ...env, AWS_REGION: 'us-east-1' });
  runtimes.push(['lambda', lambdaFetcher(lambda, 'function-url')]);

  const built = spawnSync(process.execPath, ['scripts/build.mjs', dir, 'workers'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  const toml = readFileSync(join(REPO_ROOT, 'infra/cloudflare/wrangler.toml'), 'utf8');
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: join(dir, 'workers/workers.mjs'),
    modulesRoot: join(dir, 'workers'),
    compatibilityDate: /compatibility_date = "([^"]+)"/.exec(toml)![1]!,
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...env,
      EDGE_DNS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  });
  await mf.ready;
  runtimes.push([
    'workers',
    async (r) => {
      const res = await mf.dispatchFetch(r.url, { headers: [...r.headers] });
      return new Response(await res.arrayBuffer(), {
        status: res.status,
        headers: [...res.headers],
      });
    },
  ]);
}, GUARD);

after(async () => {
  await container?.stop();
  await mf?.dispose();
  await db?.close();
  await new Promise((r) => jwks?.close(r));
  rmSync(dir, { recursive: true, force: true });
}, GUARD);

test('the token table on every runtime', GUARD, async () => {
  const got: string[] = [];
  const wanted: string[] = [];
  for (const row of table) {
    const token = await row.token();
    for (const [runtime, fetcher] of runtimes) {
      wanted.push(`${runtime}: ${row.title}: ${row.want}`);
      got.push(
        `${runtime}: ${row.title}: ${await outcome(await fetcher(wireGet(row.name, token)))}`,
      );
    }
  }
  assert.deepEqual(got, wanted);
});

test(
  'a budget per token: the flooding token gets 429 with Retry-After, another is answered',
  GUARD,
  async () => {
    const other = await jwt('ES256', es.privateKey, { sub: 'bystander' }, 'es');
    for (const [runtime, fetcher] of runtimes) {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 7; i++) {
        const res = await fetcher(wireGet(KUBERNETES, FLOOD, i));
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
        await res.arrayBuffer();
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429], runtime);
      assert.ok(Number(retryAfter) >= 1, `${runtime}: Retry-After ${retryAfter}`);
      const answered = await fetcher(wireGet(KUBERNETES, other));
      assert.equal(answered.status, 200, `${runtime}: another token is answered`);
      assert.equal(rcodeOf(dnsPacket.decode(Buffer.from(await answered.arrayBuffer()))), 'NOERROR');
    }
  },
);
