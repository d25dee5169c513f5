// The TCP ceiling: RFC 7766 framing (2-byte length, several queries per connection) around the
// same precomputed answer as bench/ceiling-udp.ts, with the query ID copied in.
// Usage: tsx bench/ceiling-tcp.ts [PORT]   (binds 127.0.0.1; prints `ceiling ready: tcp://127.0.0.1:PORT`)
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { precomputedAnswer } from './ceiling-udp.ts';

/** Starts the ceiling server; resolves with its port. */
export function serveCeilingTcp(port = 0): Promise<{ port: number; close: () => void }> {
  const answer = precomputedAnswer();
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      let data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      // Answer every complete frame in this chunk with one write (RFC 7766 §6.2.1.1 pipelining).
      let frames = 0;
      let offset = 0;
      while (data.length - offset >= 2) {
        const length = data.readUInt16BE(offset);
        if (data.length - offset < 2 + length) break;
        frames++;
        offset += 2 + length;
      }
      if (frames > 0) {
        const out = Buffer.allocUnsafe(frames * (2 + answer.length));
        let at = 0;
        let q = 0;
        for (let i = 0; i < frames; i++) {
          const length = data.readUInt16BE(q);
          out.writeUInt16BE(answer.length, at);
          answer.copy(out, at + 2);
          out[at + 2] = data[q + 2]!;
          out[at + 3] = data[q + 3]!;
          at += 2 + answer.length;
          q += 2 + length;
        }
        socket.write(out);
      }
      pending = offset === data.length ? Buffer.alloc(0) : data.subarray(offset);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { port } = await serveCeilingTcp(Number(process.argv[2] ?? 0));
  console.log(`ceiling ready: tcp://127.0.0.1:${port}`);
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
}
