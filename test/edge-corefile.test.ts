// The edge Corefile subset (functions/entry/edge-corefile.ts, docs/corefile.md "At the edge") in
// the BUILT bundles: a Corefile bundled at build time (EDGE_DNS_COREFILE_FILE) and one given in
// EDGE_DNS_COREFILE, answered by the Lambda handler and by the Worker in workerd, in front of the
// cluster's names in dynalite; a bad one fails the Lambda init and makes the Worker answer 500,
// naming the variable or file and the line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dnsPacket from 'dns-packet';
import { Miniflare } from 'miniflare';
import { ORIGIN } from './doh/run-cases.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import type { Dynalite } from './support/dynalite.ts';
import { lambdaInstances, publishedTable, setLambdaCredentials } from './support/lambda-bundle.ts';
import { lambdaFetcher } from './support/lambda-events.ts';
import { toPresentation } from './support/presentation.ts';

const CLUSTER = 'ci';
const TOKEN = 'edge-corefile-token-0123456789';
const GUARD = { timeout: 60_000 };
const BUNDLED = 'test/fixtures/edge-corefile/Corefile';
const BAD = 'test/fixtures/edge-corefile/bad.Corefile';
const VARIABLE =
  '. {\n  template IN TXT var.test {\n    answer "{{ .Name }} 30 IN TXT from-the-variable"\n  }\n}\n';

type Fetcher = (request: Request) => Promise<Response>;

/** Builds `which` (lambda, workers) into a new folder, with `corefile` bundled if given. */
function build(which: string, corefile?: string): string {
  const dist = mkdtempSync(join(tmpdir(), `edge-dns-corefile-${which}-`));
  const env = { ...process.env, EDGE_DNS_COREFILE_FILE: corefile ?? '' };
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, which], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env,
  });
  assert.equal(built.status, 0, built.stderr);
  return dist;
}

/** `name type` asked over DoH: the rcode, then the answers in presentation format. */
async function ask(fetch: Fetcher, question: string): Promise<string[]> {
  const [name, type] = question.split(' ') as [string, dnsPacket.RecordType];
  const dns = Buffer.from(dnsPacket.encode(makeQuery(name, type, { id: 0 }))).toString('base64url');
  const res = await fetch(
    new Request(`${ORIGIN}/dns-query?dns=${dns}`, {
      headers: { accept: 'application/dns-message', authorization: `Bearer ${TOKEN}` },
    }),
  );
  assert.equal(res.status, 200, `${question}: ${res.status}`);
  const reply = dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
  return [rcodeOf(reply), ...(reply.answers ?? []).map(toPresentation)];
}

/** What the bundled Corefile answers: its template, the cluster behind, REFUSED outside. */
const BUNDLED_CASES: [string, string[]][] = [
  ['web.example.org A', ['NOERROR', 'web.example.org. 60 IN A 192.0.2.7']],
  [
    'kubernetes.default.svc.cluster.local A',
    ['NOERROR', 'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  ],
  ['example.com A', ['REFUSED']],
];
const VARIABLE_CASES: [string, string[]][] = [
  ['a.var.test TXT', ['NOERROR', 'a.var.test. 30 IN TXT "from-the-variable"']],
  [
    'kubernetes.default.svc.cluster.local A',
    ['NOERROR', 'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  ],
];

async function assertCases(fetch: Fetcher, cases: [string, string[]][], what: string) {
  for (const [question, expected] of cases)
    assert.deepEqual(await ask(fetch, question), expected, `${what}: ${question}`);
}

let db: Dynalite;
let baseEnv: Record<string, string>;
before(async () => {
  db = await publishedTable(CLUSTER, [SAMPLE_CLUSTER]);
  baseEnv = {
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: CLUSTER,
    AWS_REGION: 'us-east-1',
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_METRICS: 'off',
  };
  setLambdaCredentials();
}, GUARD);
after(() => db?.close());

const lambdaOf = (dist: string) =>
  lambdaInstances(pathToFileURL(join(dist, 'lambda/lambda.mjs')).href);

test(
  'Lambda: a bundled Corefile, one from EDGE_DNS_COREFILE, and bad ones failing the init',
  GUARD,
  async (t) => {
    const bundled = await lambdaOf(build('lambda', BUNDLED))(baseEnv);
    await assertCases(lambdaFetcher(bundled, 'function-url'), BUNDLED_CASES, 'bundled');
    const plain = lambdaOf(build('lambda'));
    const variable = await plain({ ...baseEnv, EDGE_DNS_COREFILE: VARIABLE });
    await assertCases(lambdaFetcher(variable, 'http-api'), VARIABLE_CASES, 'variable');
    t.mock.method(console, 'error', () => {});
    await assert.rejects(
      plain({ ...baseEnv, EDGE_DNS_COREFILE: '. {\n  whoami\n}\n' }),
      /EDGE_DNS_COREFILE:2 - Error during parsing: whoami: plugin 'whoami' is not served at the edge/,
    );
    await assert.rejects(
      lambdaOf(build('lambda', BAD))(baseEnv),
      new RegExp(
        `${BAD.replaceAll('.', '\\.')}:6 - Error during parsing: errors: plugin 'errors' is not served at the edge`,
      ),
    );
  },
);

test(
  'Workers (workerd): the same Corefiles; a bad one answers 500 naming its line',
  GUARD,
  async () => {
    const bundled = build('workers', BUNDLED);
    const plain = build('workers');
    const worker = (name: string, dist: string, extra: Record<string, string> = {}) => ({
      name,
      modules: true,
      scriptPath: join(dist, 'workers/workers.mjs'),
      modulesRoot: join(dist, 'workers'),
      compatibilityDate: '2025-01-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings: { ...baseEnv, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...extra },
    });
    const mf = new Miniflare({
      host: '127.0.0.1',
      port: 0,
      workers: [
        worker('bundled', bundled),
        worker('variable', plain, { EDGE_DNS_COREFILE: VARIABLE }),
        worker('bad', plain, {
          EDGE_DNS_COREFILE: '. {\n  template IN A {\n    answer "{{ .Nme }}"\n  }\n}',
        }),
      ],
    });
    try {
      await mf.ready;
      const named = async (name: string): Promise<Fetcher> => {
        const w = (await mf.getWorker(name)) as unknown as {
          fetch: (r: string, i: RequestInit) => Promise<Response>;
        };
        return async (request) => {
          const res = await w.fetch(request.url, { method: 'GET', headers: [...request.headers] });
          return new Response(await res.arrayBuffer(), {
            status: res.status,
            headers: [...res.headers],
          });
        };
      };
      await assertCases(await named('bundled'), BUNDLED_CASES, 'bundled');
      await assertCases(await named('variable'), VARIABLE_CASES, 'variable');
      const res = await (await named('bad'))(new Request(`${ORIGIN}/dns-query?dns=AAAB`));
      assert.equal(res.status, 500);
      assert.match(
        await res.text(),
        /^edge-dns: bad configuration: EDGE_DNS_COREFILE:3 - Error during parsing: answer: /,
      );
    } finally {
      await mf.dispose();
    }
  },
);
