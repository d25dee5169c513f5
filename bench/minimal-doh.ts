// The minimal Node DoH server of `npm run bench:doh`: what a plain Node program on the same HTTP/2
// stack does with the same data. The cluster's records (the sync's builder) as dns-packet answers in
// a Map; each request decoded and its answer encoded by dns-packet: wire GET and POST (RFC 8484
// §4.1), NXDOMAIN for a name it lacks, NODATA for a type (no SOA: minimal, not conformant).
// Usage: tsx bench/minimal-doh.ts SNAPSHOT   (binds 127.0.0.1; prints `minimal ready: https://...`)
import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2ServerResponse } from 'node:http2';
import * as dnsPacket from 'dns-packet';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';

type Answer = dnsPacket.Answer;
const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/minimal-doh.ts SNAPSHOT');
const records = new Map<string, Answer[]>();
for (const node of buildCluster(readSnapshots([file]), defaultBuildOptions).values())
  records.set(
    node.name,
    node.sets.flatMap((set) =>
      (set.data as unknown[]).map(
        (data) =>
          ({
            name: node.name,
            type: set.type,
            class: 'IN',
            ttl: set.ttl,
            data: set.type === 'TXT' ? (data as string[]) : data,
          }) as Answer,
      ),
    ),
  );

function answer(wire: Buffer): Buffer | undefined {
  let query: dnsPacket.Packet;
  try {
    query = dnsPacket.decode(wire);
  } catch {
    return undefined;
  }
  const q = query.questions?.[0];
  if (!q) return undefined;
  const found = records.get(q.name.toLowerCase());
  return dnsPacket.encode({
    type: 'response',
    id: 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (found ? 0 : 3), // NXDOMAIN (RCODE 3) when absent
    questions: [q],
    answers: found?.filter((a) => a.type === q.type) ?? [],
  });
}

function send(res: Http2ServerResponse, wire: Buffer | undefined): void {
  if (!wire) {
    res.writeHead(400).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': wire.length });
  res.end(wire);
}

const server = createSecureServer({
  cert: readFileSync(new URL('../test/fixtures/tls/localhost.crt', import.meta.url)),
  key: readFileSync(new URL('../test/fixtures/tls/localhost.key', import.meta.url)),
});
server.on('request', (req, res) => {
  const url = req.url ?? '';
  if (req.method === 'GET' && url.startsWith('/dns-query?dns='))
    return send(res, answer(Buffer.from(url.slice(15), 'base64url')));
  if (req.method !== 'POST' || url !== '/dns-query') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => send(res, answer(Buffer.concat(chunks))));
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address() as { port: number };
  console.log(`minimal ready: https://127.0.0.1:${a.port} (${records.size} names)`);
});
