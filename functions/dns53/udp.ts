import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { answer, type MessageHandler, type TransportLog } from './handler.ts';

export interface UdpServer {
  address: { host: string; port: number };
  /** Closes the socket at once: answers still being worked out are not sent. */
  close(): Promise<void>;
  /**
   * Stops reading queries, sends the answers still being worked out (a forwarded query waits for
   * its upstream), then closes; after `timeoutMs` it closes whatever is left.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** DNS over UDP (RFC 1035 §4.2.1). Each datagram is one query; the handler bounds the size. */
export function serveUdp(
  host: string,
  port: number,
  handle: MessageHandler,
  log: TransportLog,
): Promise<UdpServer> {
  // A deep receive buffer rides out a GC pause at high rates instead of dropping queries.
  const socket: Socket = createSocket({
    type: isIPv6(host) ? 'udp6' : 'udp4',
    reuseAddr: false,
    recvBufferSize: 4 << 20,
  });
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  const settle = () => {
    if (--inFlight === 0) drained?.();
  };
  const reply = (response: Buffer | null, peer: RemoteInfo) => {
    settle();
    if (!response) return;
    try {
      socket.send(response, peer.port, peer.address);
    } catch (error) {
      log.warn(`udp: cannot answer ${peer.address}:${peer.port}: ${String(error)}`);
    }
  };
  const failed = (error: unknown, peer: RemoteInfo) => {
    settle();
    log.warn(`udp: query from ${peer.address}:${peer.port} failed: ${String(error)}`);
  };
  socket.on('message', (message, peer) => {
    // Port 0 cannot be answered (and is a classic spoofed source): drop it.
    if (peer.port === 0 || draining) return;
    inFlight++;
    answer(handle, message, 'udp', peer, reply, failed);
  });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= new Promise<void>((done) => socket.close(() => done())));
  const drain = async (timeoutMs: number) => {
    draining = true;
    if (inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((done) => {
        drained = done;
        timer = setTimeout(done, timeoutMs);
      });
      clearTimeout(timer);
    }
    await close();
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', (error) => log.warn(`udp: ${error.message}`));
      const bound = socket.address();
      resolve({
        address: { host: bound.address, port: bound.port },
        close,
        drain,
      });
    });
  });
}
