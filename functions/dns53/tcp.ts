import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { FrameReader, frame } from './tcp-framing.ts';
import { answer, type Client, type MessageHandler, type TransportLog } from './handler.ts';

export interface TcpLimits {
  /** Close a connection that completes no query for this long (RFC 7766 §6.2.3). */
  idleTimeoutMs: number;
  /** Connections beyond this are closed at once (RFC 7766 §6.2.2). */
  maxConnections: number;
  /** Queries answered concurrently per connection; reading pauses beyond it (RFC 7766 §6.2.1.1). */
  maxInFlight: number;
  /** Unsent response bytes a client may leave unread before it is dropped. */
  maxUnsentBytes: number;
}

export const defaultTcpLimits: TcpLimits = {
  idleTimeoutMs: 10_000,
  maxConnections: 1024,
  maxInFlight: 64,
  maxUnsentBytes: 1 << 20,
};

export interface TcpServer {
  address: { host: string; port: number };
  readonly connections: number;
  /** Closes the listener and every connection at once. */
  close(): Promise<void>;
  /**
   * Stops accepting connections and reading queries; each connection gets the answers to the
   * queries already read, then is closed (RFC 7766 §6.2.3: the server may close idle
   * connections); after `timeoutMs` what is left is closed at once.
   */
  drain(timeoutMs: number): Promise<void>;
  /** New limits for new and existing connections (a reload). */
  setLimits(limits: TcpLimits): void;
  /** DoT: a new certificate for new connections (a rotation); open ones keep theirs. */
  setTls?(tls: TlsFiles): void;
}

/** PEM certificate chain and key. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * DNS over TCP (RFC 7766): length framing, several queries per connection, replies sent as they
 * complete (out of order allowed, §6.2.1.1), an idle timeout that only a whole query resets (so a
 * slow or half-open client cannot hold a slot forever), and a connection cap. With `tls`, DNS over
 * TLS (RFC 7858): the same framing and limits inside TLS (ALPN `dot`, RFC 7858 §3.2), a
 * handshake bounded by the idle timeout.
 */
export function serveTcp(
  host: string,
  port: number,
  handle: MessageHandler,
  log: TransportLog,
  initial: TcpLimits = defaultTcpLimits,
  tls?: TlsFiles,
): Promise<TcpServer> {
  // Read at use, so that setLimits reaches open connections too.
  const limits = { ...initial };
  /** Each open connection and what stops it reading (connection()). */
  const sockets = new Map<Socket, () => void>();
  let draining = false;
  const accept = (socket: Socket) => {
    if (draining) return void socket.destroy();
    socket.once('close', () => sockets.delete(socket));
    sockets.set(socket, connection(socket, handle, log, limits));
  };
  const server: Server | TlsServer = tls
    ? createTlsServer(
        {
          ...tls,
          allowHalfOpen: true,
          ALPNProtocols: ['dot'],
          handshakeTimeout: limits.idleTimeoutMs,
        },
        accept,
      )
    : createServer({ allowHalfOpen: true }, accept);
  // A failed handshake is the client's problem: no log line per scanner.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.maxConnections = limits.maxConnections;
  server.on('drop', () =>
    log.warn(`tcp: connection cap of ${limits.maxConnections} reached, dropping a connection`),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) => log.warn(`tcp: ${error.message}`));
      const bound = server.address();
      if (!bound || typeof bound === 'string') throw new Error('tcp: no address');
      resolve({
        address: { host: bound.address, port: bound.port },
        get connections() {
          return sockets.size;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets.keys()) socket.destroy();
            server.close(() => done());
          }),
        drain: (timeoutMs) =>
          new Promise<void>((done) => {
            draining = true;
            const timer = setTimeout(() => {
              for (const socket of sockets.keys()) socket.destroy();
            }, timeoutMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            for (const stopReading of sockets.values()) stopReading();
          }),
        setLimits: (next) => {
          Object.assign(limits, next);
          server.maxConnections = next.maxConnections;
        },
        ...(tls && {
          setTls: (next: TlsFiles) => (server as TlsServer).setSecureContext(next),
        }),
      });
    });
  });
}

/** Serves one connection; returns what makes it stop reading and close once its answers are sent. */
function connection(
  socket: Socket,
  handle: MessageHandler,
  log: TransportLog,
  limits: TcpLimits,
): () => void {
  const reader = new FrameReader();
  const client: Client = {
    address: socket.remoteAddress ?? '',
    port: socket.remotePort ?? 0,
    family: socket.remoteFamily ?? '',
  };
  let inFlight = 0;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  socket.setNoDelay(true);

  const arm = () => {
    clearTimeout(timer);
    if (inFlight === 0) timer = setTimeout(() => socket.destroy(), limits.idleTimeoutMs);
  };
  arm();

  socket.on('data', (chunk: Buffer) => {
    const messages = reader.push(chunk);
    if (messages.length === 0) return;
    // Answers that complete within this turn leave in one write (most do: the store is memory).
    socket.cork();
    setImmediate(() => socket.uncork());
    for (const message of messages) {
      inFlight++;
      answer(handle, message, 'tcp', client, reply, failed);
    }
    if (inFlight >= limits.maxInFlight) socket.pause();
    arm();
  });

  const reply = (response: Buffer | null) => {
    inFlight--;
    if (socket.destroyed) return;
    if (response) socket.write(frame(response));
    if (socket.writableLength > limits.maxUnsentBytes) {
      log.warn('tcp: client does not read its answers, closing');
      socket.destroy();
      return;
    }
    if (ended && inFlight === 0) return void socket.end();
    if (!ended && socket.isPaused() && inFlight < limits.maxInFlight) socket.resume();
    arm();
  };
  const failed = (error: unknown) => {
    log.warn(`tcp: query failed: ${String(error)}`);
    reply(null);
  };

  // A half-closed client may still be owed answers: finish them, then close (RFC 7766 §6.2.4).
  socket.on('end', () => {
    ended = true;
    if (inFlight === 0) socket.end();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clearTimeout(timer));
  return () => {
    ended = true;
    socket.pause();
    socket.removeAllListeners('data');
    if (inFlight === 0) socket.end();
  };
}
