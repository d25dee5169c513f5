// A Corefile's tls:// server block (CoreDNS: DNS over TLS, RFC 7858) is the container's DoT
// listener, with the certificate of its `tls CERT KEY`: kdig +tls gets the block's answers, a
// client that checks the certificate's name accepts it, and the same blocks answer plain DNS on
// the dns:// port. A tls:// block without a certificate stops --validate, naming the block.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import dnsPacket from 'dns-packet';
import { FrameReader, frame } from '../functions/dns53/tcp-framing.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { requireTool, run } from './support/tools.ts';

const TLS = join(REPO_ROOT, 'test/fixtures/tls');
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-corefile-tls-'));
const NAME = 'kubernetes.default.svc.cluster.local';
let server: EntryProcess;
let dot: number;
let dns: number;

before(async () => {
  const corefile = join(dir, 'Corefile');
  writeFileSync(
    corefile,
    [
      'tls://cluster.local:0 dns://cluster.local:0 {',
      '  bind 127.0.0.1',
      `  tls ${join(TLS, 'localhost.crt')} ${join(TLS, 'localhost.key')}`,
      '  kubernetes cluster.local {',
      `    snapshot ${join(REPO_ROOT, SAMPLE_CLUSTER)}`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  server = startEntry('functions/entry/container.ts', ['--corefile', corefile]);
  const ready = await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
  dns = Number(/udp:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
  const line = await server.waitFor(/^edge-dns DoT on tls:\/\//);
  dot = Number(/tls:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The block's names over each transport: [question, rcode, answer].
const rows: [name: string, rcode: string, answer: RegExp | undefined][] = [
  [NAME, 'NOERROR', /kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/],
  ['nope.default.svc.cluster.local', 'NXDOMAIN', undefined],
  ['www.example.com', 'REFUSED', undefined],
];

for (const [name, rcode, answer] of rows)
  test(`kdig +tls ${name} A -> ${rcode}`, async (t) => {
    const skip = requireTool('kdig');
    if (skip) return t.skip(skip);
    const out = await run('kdig', [
      ...['-p', String(dot), '@127.0.0.1', '+tls', '+timeout=3', '+retry=0', name, 'A'],
    ]);
    assert.match(out, new RegExp(`status: ${rcode}`));
    if (answer) assert.match(out, answer);
    assert.match(out, /TLS session \(TLS1\.3\)/);
  });

test('a client that checks the certificate (CA and name localhost) gets the answer', async () => {
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: dot,
      servername: 'localhost',
      ca: readFileSync(join(TLS, 'localhost.crt')),
      ALPNProtocols: ['dot'],
    });
    const reader = new FrameReader();
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.once('error', reject);
    socket.once('secureConnect', () =>
      socket.write(frame(dnsPacket.encode(makeQuery(NAME, 'A', { id: 4242 })))),
    );
    socket.on('data', (chunk) => {
      const [message] = reader.push(chunk);
      if (message) {
        socket.end();
        resolve(message);
      }
    });
  });
  const p = dnsPacket.decode(reply);
  assert.equal(p.id, 4242);
  assert.equal(rcodeOf(p), 'NOERROR');
  assert.equal((p.answers?.[0] as { data?: string }).data, '10.96.0.1');
});

test('the same blocks answer plain DNS on the dns:// port', async () => {
  const reply = await queryUdp({ host: '127.0.0.1', port: dns }, makeQuery(NAME, 'A'), 3000);
  assert.equal(rcodeOf(reply), 'NOERROR');
  assert.equal((reply.answers?.[0] as { data?: string }).data, '10.96.0.1');
});

test('--validate: a tls:// block without `tls CERT KEY` is refused, naming the block', async () => {
  const corefile = join(dir, 'Corefile.nocert');
  writeFileSync(corefile, 'tls://.:0 {\n  bind 127.0.0.1\n}\n');
  const p = startEntry('functions/entry/container.ts', ['--validate', '--corefile', corefile]);
  assert.equal(await p.exited, 2, p.stderr());
  assert.match(p.stderr(), /Corefile\.nocert:1: .*DoT needs a certificate/);
});
