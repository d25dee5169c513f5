// A small DNS-over-TLS upstream for tests (RFC 7858): node:tls with the localhost fixture
// certificate (test/fixtures/tls: CN and SAN localhost, 127.0.0.1, ::1), on 127.0.0.1 and an
// ephemeral port. Every A question is answered with one A record, in reverse order of arrival
// when several come in one read (so pipelined replies come back out of order); `stall` accepts
// the handshake and reads queries but never answers.
//
//   const up = await startDotUpstream({ address: '192.0.2.53' });
//   new TlsUpstream(up.address, { ca: up.ca, serverName: 'localhost' });
//   up.connections; up.queries; up.hangUp(); await up.close();
import { readFileSync } from 'node:fs';
import { createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { FrameReader, frame } from '../../functions/dns53/tcp-framing.ts';

const FIXTURES = new URL('../fixtures/tls/', import.meta.url);

export interface DotUpstream {
  /** `127.0.0.1:PORT`. */
  address: string;
  port: number;
  /** The CA to trust: the fixture certificate itself (self-signed). */
  ca: Buffer;
  /** TLS connections accepted so far, and those open now. */
  readonly connections: number;
  readonly open: number;
  /** Queries read so far. */
  readonly queries: number;
  /** Closes every open connection (a server's idle timeout), keeping the listener. */
  hangUp(): void;
  close(): Promise<void>;
}

export async function startDotUpstream(
  o: { address?: string; stall?: boolean } = {},
): Promise<DotUpstream> {
  const ca = readFileSync(new URL('localhost.crt', FIXTURES));
  const sockets = new Set<TLSSocket>();
  let connections = 0;
  let queries = 0;
  const server = createServer(
    { cert: ca, key: readFileSync(new URL('localhost.key', FIXTURES)), ALPNProtocols: ['dot'] },
    (socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      const reader = new FrameReader();
      socket.on('data', (chunk: Buffer) => {
        const replies: Buffer[] = [];
        for (const message of reader.push(chunk)) {
          queries++;
          if (o.stall) continue;
          const q = dnsPacket.decode(message);
          const question = q.questions![0]!;
          replies.unshift(
            dnsPacket.encode({
              type: 'response',
              id: q.id,
              flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
              questions: [question],
              answers:
                question.type === 'A'
                  ? [{ name: question.name, type: 'A', ttl: 60, data: o.address ?? '192.0.2.53' }]
                  : [],
            }),
          );
        }
        for (const reply of replies) socket.write(frame(reply));
      });
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    ca,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
    get queries() {
      return queries;
    },
    hangUp: () => {
      for (const s of sockets) s.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
