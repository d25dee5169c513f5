// Forwarding over DNS over TLS (RFC 7858), end to end: a container whose Corefile forwards `.` to
// another edge-dns container serving DoT (`forward . tls://… { tls_servername; tls CA }`), and a
// container whose flags forward stub zones to test DoT servers (tls://IP:PORT#NAME,
// --forward-tls-ca): the right name answers; a name the certificate does not hold, and an
// upstream that never replies, are SERVFAIL within the forward timeout. Only 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf, type Reply } from './support/dns-client.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { startDotUpstream, type DotUpstream } from './support/dot-upstream.ts';

const TLS = join(REPO_ROOT, 'test/fixtures/tls');
const CA = join(TLS, 'localhost.crt'); // self-signed: its own CA
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-forward-tls-'));
let upstream: Container; // edge-dns with --dot
let dotPort: number;
let good: DotUpstream;
let stalled: DotUpstream;

before(async () => {
  upstream = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    '--dot',
    '127.0.0.1:0',
    '--tls-cert',
    CA,
    '--tls-key',
    join(TLS, 'localhost.key'),
  ]);
  dotPort = Number(/DoT on tls:\/\/127\.0\.0\.1:(\d+)/.exec(upstream.stdout())![1]);
  good = await startDotUpstream({ address: '192.0.2.53' });
  stalled = await startDotUpstream({ stall: true });
});

after(async () => {
  await upstream?.stop();
  await good?.close();
  await stalled?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** "RCODE ra answers…" of a reply. */
function shown(reply: Reply): string {
  const data = (reply.answers ?? []).map((a) => (a as { data?: unknown }).data);
  return [rcodeOf(reply), reply.flag_ra ? 'ra' : 'no-ra', ...data].join(' ');
}

test('Corefile: forward . tls://… to an edge-dns DoT listener, over UDP and TCP', async () => {
  const corefile = join(dir, 'Corefile');
  writeFileSync(
    corefile,
    [
      '.:0 {',
      '  bind 127.0.0.1',
      `  forward . tls://127.0.0.1:${dotPort} {`,
      '    tls_servername localhost',
      `    tls ${CA}`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const forwarder: EntryProcess = startEntry('functions/entry/container.ts', [
    '--corefile',
    corefile,
  ]);
  try {
    const ready = await forwarder.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
    const port = Number(/udp:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
    const at = { host: '127.0.0.1', port };
    const rows: [name: string, type: RecordType, want: string][] = [
      ['kubernetes.default.svc.cluster.local', 'A', 'NOERROR ra 10.96.0.1'],
      ['nope.default.svc.cluster.local', 'A', 'NXDOMAIN ra'],
    ];
    for (const [name, type, want] of rows) {
      assert.equal(shown(await queryUdp(at, makeQuery(name, type), 5000)), want, `udp ${name}`);
      const [tcp] = await queryTcp(at, [makeQuery(name, type)], 5000);
      assert.equal(shown(tcp!), want, `tcp ${name}`);
    }
  } finally {
    await forwarder.stop();
  }
});

test('flags: tls://IP:PORT#NAME with --forward-tls-ca; a wrong name or a stalled upstream is SERVFAIL', async () => {
  const forwarder = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    '--forward',
    `good.test=tls://127.0.0.1:${good.port}#localhost`,
    '--forward',
    `wrong.test=tls://127.0.0.1:${good.port}#wrong.example`,
    '--forward',
    `stalled.test=tls://127.0.0.1:${stalled.port}#localhost`,
    '--forward-tls-ca',
    CA,
    '--forward-timeout',
    '300ms',
  ]);
  try {
    // The forward timeout (300 ms) and the pool's deadline (5 s) bound each SERVFAIL; the
    // client's 4 s is only a guard.
    const rows: [name: string, want: string][] = [
      ['www.good.test', 'NOERROR ra 192.0.2.53'],
      ['www.wrong.test', 'SERVFAIL ra'],
      ['www.stalled.test', 'SERVFAIL ra'],
    ];
    for (const [name, want] of rows)
      assert.equal(shown(await queryUdp(forwarder.udp, makeQuery(name, 'A'), 4000)), want, name);
    assert.ok(stalled.queries >= 1, 'the stalled upstream was asked');
  } finally {
    await forwarder.stop();
  }
});

test('--validate reads forward { tls } files, naming the forward line of a missing one', async () => {
  const corefile = join(dir, 'Corefile.missing-ca');
  writeFileSync(
    corefile,
    '.:0 {\n  forward . tls://127.0.0.1 {\n    tls /nonexistent/ca.pem\n  }\n}\n',
  );
  const p = startEntry('functions/entry/container.ts', ['--validate', '--corefile', corefile]);
  assert.equal(await p.exited, 2, p.stderr());
  assert.match(p.stderr(), /Corefile\.missing-ca:2 - .*forward: ENOENT.*\/nonexistent\/ca\.pem/);
});
