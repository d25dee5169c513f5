/** Who sent a message: node:dgram's RemoteInfo for UDP, the connection's peer for TCP. */
export interface Client {
  readonly address: string;
  readonly port: number;
  /** 'IPv4' or 'IPv6'. */
  readonly family: string;
}

/**
 * What a port-53 transport calls for each message: the response, or null to send nothing;
 * synchronous when the answer is at hand (a cache hit), a promise otherwise.
 */
export type MessageHandler = (
  message: Buffer,
  transport: 'udp' | 'tcp',
  client: Client,
) => Buffer | null | Promise<Buffer | null>;

/**
 * Calls `done` with the handler's answer, at once when it is synchronous. `peer` is the client
 * the handler is told of, passed on to `done` and `failed`, so that callers need not make
 * closures for each message.
 */
export function answer<P extends Client>(
  handle: MessageHandler,
  message: Buffer,
  transport: 'udp' | 'tcp',
  peer: P,
  done: (response: Buffer | null, peer: P) => void,
  failed: (error: unknown, peer: P) => void,
): void {
  let result: ReturnType<MessageHandler>;
  try {
    result = handle(message, transport, peer);
  } catch (error) {
    return failed(error, peer);
  }
  if (result instanceof Promise)
    result.then(
      (response) => done(response, peer),
      (error) => failed(error, peer),
    );
  else done(result, peer);
}

/** Where transports report what they drop or fail on; never on the hot path of a good query. */
export interface TransportLog {
  warn(message: string): void;
}
