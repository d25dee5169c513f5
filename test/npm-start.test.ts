// The local shape (docs/architecture.md §1), literally: `npm start` on a clone serves the sample
// cluster on 127.0.0.1:1053 over UDP and TCP and prints a ready line whose dig command answers the
// kubernetes service's ClusterIP; and every command of README.md's "Try it", run as written,
// answers what its comment promises. The ports are fixed, so when something already holds them
// (a developer's own `npm start`), the test skips and says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerFlags } from '../functions/entry/container-flags.ts';
import { parseReadyLine } from './support/container.ts';
import { parseClientOutput } from './support/client-output.ts';
import { busy, readmeCommands, runCommand, startCommand } from './support/readme-commands.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf, type Addr } from './support/dns-client.ts';
import { requireTool, run } from './support/tools.ts';
import { toPresentation } from './support/presentation.ts';
import { scrapeMetrics } from './support/prometheus-text.ts';

const DNS: Addr = { host: '127.0.0.1', port: 1053 };
const DOH_PORT = 8053;
const METRICS_PORT = 9153;

let server: Awaited<ReturnType<typeof startCommand>> | undefined;
let readyLine = '';
let skip: string | undefined;
const tryIt = readmeCommands('README.md', '## Try it');

before(async () => {
  skip =
    (await busy(DNS.port, true)) ??
    (await busy(DOH_PORT, false)) ??
    (await busy(METRICS_PORT, false));
  if (skip) return;
  // As README.md says it: its `npm start` line, run by a shell from the repository root.
  const start = tryIt.find((c) => c.command.startsWith('npm start'));
  assert.ok(start, 'README.md "Try it" shows npm start');
  server = await startCommand(start.command, /^edge-dns ready:/);
  readyLine = server.line;
});

after(async () => {
  await server?.stop();
});

test('npm start prints a ready line for udp and tcp on 127.0.0.1:1053 with a dig command', (t) => {
  if (skip) return t.skip(skip);
  assert.deepEqual(parseReadyLine(readyLine), { udp: DNS, tcp: DNS });
  assert.match(
    readyLine,
    /\(try: dig @127\.0\.0\.1 -p 1053 kubernetes\.default\.svc\.cluster\.local\)/,
  );
});

test('npm start answers kubernetes.default.svc.cluster.local. A 10.96.0.1 over UDP and TCP', async (t) => {
  if (skip) return t.skip(skip);
  const udp = await queryUdp(DNS, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
  const [tcp] = await queryTcp(DNS, [makeQuery('kubernetes.default.svc.cluster.local', 'A')]);
  for (const reply of [udp, tcp]) {
    assert.ok(reply);
    assert.equal(rcodeOf(reply), 'NOERROR');
    assert.deepEqual(reply.answers?.map(toPresentation), [
      'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
    ]);
  }
});

test('npm start serves Prometheus metrics on 127.0.0.1:9153 (CoreDNS prometheus)', async (t) => {
  if (skip) return t.skip(skip);
  const scrape = await scrapeMetrics(`http://127.0.0.1:${METRICS_PORT}/metrics`);
  assert.equal(scrape.value('coredns_build_info'), 1);
  assert.equal(scrape.value('edge_dns_source_state', { state: 'snapshot' }), 1);
});

test("the ready line's dig command, run as printed, answers 10.96.0.1", async (t) => {
  if (skip) return t.skip(skip);
  const noDig = requireTool('dig');
  if (noDig) return t.skip(noDig);
  const command = /\(try: (dig [^)]+)\)/.exec(readyLine)?.[1];
  assert.ok(command, `no dig command in: ${readyLine}`);
  const [cmd, ...args] = command.split(' ');
  assert.equal((await run(cmd!, [...args, '+short'])).trim(), '10.96.0.1');
});

/** What each "Try it" command's comment promises (`comment`), and the check of that promise. */
const promises: {
  command: RegExp;
  comment?: RegExp;
  skip?: string;
  check?: (out: string) => void;
}[] = [
  { command: /^npm install$/, skip: 'the tests run in an installed checkout' },
  { command: /^npm start$/, comment: /DNS on 127\.0\.0\.1:1053, DoH on 127\.0\.0\.1:8053/ },
  {
    command: /^npx edge-dns --help$/,
    comment: /every flag/,
    check: (out) => {
      for (const row of containerFlags) assert.match(out, new RegExp(`^  --${row.flag}\\b`, 'm'));
    },
  },
  {
    command: /^dig @127\.0\.0\.1 -p 1053 kubernetes\.default\.svc\.cluster\.local$/,
    comment: /ClusterIP: 10\.96\.0\.1/,
    check: answers('NOERROR', ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1']),
  },
  {
    command: /^dig .* _https\._tcp\.kubernetes\.default\.svc\.cluster\.local SRV$/,
    check: answers('NOERROR', [
      '_https._tcp.kubernetes.default.svc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.',
    ]),
  },
  {
    command: /^dig .* db\.data\.svc\.cluster\.local$/,
    comment: /headless: one A per ready endpoint/,
    check: answers('NOERROR', [
      'db.data.svc.cluster.local. 5 IN A 10.244.1.10',
      'db.data.svc.cluster.local. 5 IN A 10.244.2.11',
    ]),
  },
  {
    command: /^dig .* billing\.shop\.svc\.cluster\.local$/,
    comment: /ExternalName: a CNAME/,
    check: answers('NOERROR', ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.']),
  },
  {
    command: /^dig .* -x 10\.96\.0\.10$/,
    comment: /PTR of a service IP/,
    check: answers('NOERROR', [
      '10.0.96.10.in-addr.arpa. 5 IN PTR kube-dns.kube-system.svc.cluster.local.',
    ]),
  },
  {
    command: /^dig .* \+tcp nope\.default\.svc\.cluster\.local$/,
    comment: /NXDOMAIN with the zone SOA/,
    check: (out) => {
      const reply = parseClientOutput(out);
      assert.equal(reply.status, 'NXDOMAIN');
      assert.match(
        reply.authority[0] ?? '',
        /^cluster\.local\. 5 IN SOA ns\.dns\.cluster\.local\. /,
      );
    },
  },
  {
    command:
      /^curl 'http:\/\/127\.0\.0\.1:8053\/resolve\?name=kubernetes\.default\.svc\.cluster\.local&type=A'$/,
    comment: /the JSON API/,
    check: (out) =>
      assert.deepEqual(
        (JSON.parse(out) as { Answer: { data: string }[] }).Answer.map((a) => a.data),
        ['10.96.0.1'],
      ),
  },
];

function answers(status: string, lines: string[]): (out: string) => void {
  return (out) => {
    const reply = parseClientOutput(out);
    assert.equal(reply.status, status, out);
    assert.deepEqual(reply.answer, lines, out);
  };
}

test('README.md "Try it": every command runs as written and answers as its comment says', async (t) => {
  assert.ok(tryIt.length >= 9, `commands found: ${tryIt.map((c) => c.command).join(' | ')}`);
  for (const { command, comment } of tryIt) {
    const promise = promises.find((p) => p.command.test(command));
    assert.ok(promise, `README.md "Try it": no check for \`${command}\` (add one here)`);
    if (promise.comment) assert.match(comment, promise.comment, command);
    await t.test(command, async (tt) => {
      if (promise.skip) return tt.skip(promise.skip);
      if (!promise.check) return; // the server this file started from README.md
      if (skip) return tt.skip(skip);
      const tool = command.split(' ')[0] as string;
      const noTool = tool === 'npx' ? undefined : requireTool(tool);
      if (noTool) return tt.skip(noTool);
      const { code, stdout, stderr } = await runCommand(command);
      assert.equal(code, 0, `${command}\n${stdout}${stderr}`);
      promise.check(stdout);
    });
  }
});
