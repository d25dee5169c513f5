// The UDP ceiling: the least a Node DNS server can do per query (receive, copy the ID into a
// precomputed answer, send), so bench/dns.ts can show what share of it edge-dns reaches.
// Usage: tsx bench/ceiling-udp.ts [PORT]   (binds 127.0.0.1; prints `ceiling ready: udp://127.0.0.1:PORT`)
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { encode } from 'dns-packet';

/**
 * A typical answer of the benchmark's mix: one A record for a service name, the size of what
 * edge-dns sends (no EDNS, uncompressed). The first two bytes (ID, RFC 1035 §4.1.1) are replaced
 * by each query's ID.
 */
export function precomputedAnswer(): Buffer {
  const name = 'svc-00042.ns-042.svc.cluster.local';
  return encode({
    type: 'response',
    id: 0,
    flags: 0x8400, // QR + AA, NOERROR
    questions: [{ name, type: 'A', class: 'IN' }],
    answers: [{ name, type: 'A', class: 'IN', ttl: 5, data: '10.96.0.42' }],
  });
}

/** Starts the ceiling server; resolves with its port. */
export function serveCeilingUdp(port = 0): Promise<{ port: number; close: () => void }> {
  const answer = precomputedAnswer();
  // As edge-dns's UDP listener (functions/dns53/udp.ts): the peer's address is a literal, so the
  // send skips dns.lookup's turn of the tick queue (about a tenth of the ceiling's time per query).
  const socket = createSocket({
    type: 'udp4',
    lookup: (address, _family, callback) => callback(null, address, 4),
  });
  socket.on('message', (query, rinfo) => {
    if (query.length < 12) return;
    const reply = Buffer.allocUnsafe(answer.length);
    answer.copy(reply);
    reply[0] = query[0]!;
    reply[1] = query[1]!;
    socket.send(reply, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      resolve({ port: socket.address().port, close: () => socket.close() });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await serveCeilingUdp(Number(process.argv[2] ?? 0));
  console.log(`ceiling ready: udp://127.0.0.1:${port}`);
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
}
