/**
 * What a port-53 transport calls for each message: the response, or null to send nothing;
 * synchronous when the answer is at hand (a cache hit), a promise otherwise.
 */
export type MessageHandler = (message: Buffer, transport: 'udp' | 'tcp') => Buffer | null | Promise<Buffer | null>;

/** Calls `done` with the handler's answer, at once when it is synchronous. */
export function answer(handle: MessageHandler, message: Buffer, transport: 'udp' | 'tcp', done: (response: Buffer | null) => void, failed: (error: unknown) => void): void {
  let result: ReturnType<MessageHandler>;
  try {
    result = handle(message, transport);
  } catch (error) {
    return failed(error);
  }
  if (result instanceof Promise) result.then(done, failed);
  else done(result);
}

/** Where transports report what they drop or fail on; never on the hot path of a good query. */
export interface TransportLog {
  warn(message: string): void;
}
