// DNS over TLS (RFC 7858) on the container: kdig +tls, pipelined queries on one TLS connection,
// and a certificate rotated without a restart (the reloader watches the certificate files; a
// SIGHUP reads them too).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import dnsPacket from 'dns-packet';
import { FrameReader, frame } from '../functions/dns53/tcp-framing.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { makeQuery } from './support/dns-client.ts';
import { pollUntil } from './support/poll.ts';
import { requireTool, run } from './support/tools.ts';

const TLS = join(REPO_ROOT, 'test/fixtures/tls');
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-dot-'));
const cert = join(dir, 'dot.crt');
const key = join(dir, 'dot.key');
let server: EntryProcess;
let dot: { host: string; port: number };

/** Puts the fixture pair `name` (localhost or rotated) where the server reads its certificate. */
function install(name: 'localhost' | 'rotated'): void {
  copyFileSync(join(TLS, `${name}.key`), key);
  copyFileSync(join(TLS, `${name}.crt`), cert);
}

before(async () => {
  install('localhost');
  const config = join(dir, 'edge.yaml');
  writeFileSync(
    config,
    [
      `snapshots: [${join(REPO_ROOT, SAMPLE_CLUSTER)}]`,
      'dns: { listen: 127.0.0.1:0 }',
      'dot: { listen: 127.0.0.1:0 }',
      `tls: { cert: ${cert}, key: ${key} }`,
      'reload: { interval: 200ms }',
    ].join('\n'),
  );
  server = startEntry('functions/entry/container.ts', ['--config', config]);
  const line = await server.waitFor(/^edge-dns DoT on tls:\/\//, { timeoutMs: 60_000 });
  const m = /tls:\/\/(\S+):(\d+)/.exec(line)!;
  dot = { host: m[1]!, port: Number(m[2]) };
  await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One TLS connection: its peer certificate's fingerprint, and the answers to `queries`. */
function overTls(
  queries: Buffer[],
): Promise<{ fingerprint: string; answers: dnsPacket.DecodedPacket[] }> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({
      ...dot,
      ca: [cert],
      rejectUnauthorized: false,
      ALPNProtocols: ['dot'],
    });
    const reader = new FrameReader();
    const answers: dnsPacket.DecodedPacket[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answers within 5 s')));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      assert.equal(socket.alpnProtocol, 'dot', 'ALPN dot (RFC 7858 §3.2)');
      socket.write(Buffer.concat(queries.map((q) => frame(q))));
    });
    socket.on('data', (chunk) => {
      for (const m of reader.push(chunk)) answers.push(dnsPacket.decode(m));
      if (answers.length === queries.length) {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        socket.end();
        resolve({ fingerprint, answers });
      }
    });
  });
}

const fingerprintOf = async (name: string) =>
  (
    await run('openssl', [
      'x509',
      '-in',
      join(TLS, `${name}.crt`),
      '-noout',
      '-fingerprint',
      '-sha256',
    ])
  )
    .trim()
    .split('=')[1]!;

test('kdig +tls asks over DoT and gets the Kubernetes answer', async (t) => {
  const skip = requireTool('kdig');
  if (skip) return t.skip(skip);
  const out = await run('kdig', [
    '-p',
    String(dot.port),
    `@${dot.host}`,
    '+tls',
    '+timeout=3',
    '+retry=0',
    'kubernetes.default.svc.cluster.local',
    'A',
  ]);
  assert.match(out, /status: NOERROR/);
  assert.match(out, /kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/);
  assert.match(out, /TLS session \(TLS1\.3\)/);
});

test('pipelined queries on one TLS connection are each answered, IDs matched', async () => {
  const names = [
    'kubernetes.default.svc.cluster.local',
    'nope.default.svc.cluster.local',
    'example.com',
  ];
  const queries = names.map((n, i) => dnsPacket.encode(makeQuery(n, 'A', { id: 100 + i })));
  const { answers } = await overTls(queries);
  assert.deepEqual(answers.map((a) => [a.id, (a as { rcode?: string }).rcode]).sort(), [
    [100, 'NOERROR'],
    [101, 'NXDOMAIN'],
    [102, 'REFUSED'],
  ]);
});

test('a rotated certificate is served without a restart', async (t) => {
  const skip = requireTool('openssl');
  if (skip) return t.skip(skip);
  const query = [dnsPacket.encode(makeQuery('kubernetes.default.svc.cluster.local', 'A'))];
  const [before, rotated] = [await fingerprintOf('localhost'), await fingerprintOf('rotated')];
  assert.equal((await overTls(query)).fingerprint, before);
  const from = server.mark();
  install('rotated');
  await server.waitFor(/^edge-dns reloaded .*file changed/, { from, timeoutMs: 10_000 });
  const after = await pollUntil(
    () => overTls(query),
    (r) => r.fingerprint === rotated,
    {
      what: 'the rotated certificate',
    },
  );
  assert.equal(after.answers[0]!.id, (dnsPacket.decode(query[0]!) as { id: number }).id);
});
