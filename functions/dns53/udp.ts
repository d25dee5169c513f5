import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { MessageHandler, TransportLog } from './handler.ts';

export interface UdpServer {
  address: { host: string; port: number };
  close(): Promise<void>;
}

/** DNS over UDP (RFC 1035 §4.2.1). Each datagram is one query; the handler bounds the size. */
export function serveUdp(host: string, port: number, handle: MessageHandler, log: TransportLog): Promise<UdpServer> {
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
  socket.on('message', (message, peer) => {
    handle(message, 'udp').then(
      (response) => {
        if (response) socket.send(response, peer.port, peer.address);
      },
      (error: unknown) => log.warn(`udp: query from ${peer.address}:${peer.port} failed: ${String(error)}`),
    );
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', (error) => log.warn(`udp: ${error.message}`));
      const bound = socket.address();
      resolve({
        address: { host: bound.address, port: bound.port },
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
