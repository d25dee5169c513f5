// What the container's process plugins (metrics, query log) see of each query: the message, the
// reply, the transport and the client, and how long the answer took. Observers run after the
// reply is handed to the transport, so they never delay it (docs/architecture.md §7).
import type { Client, MessageHandler } from '../dns53/handler.ts';

export type Proto = 'udp' | 'tcp' | 'https';

export interface ObservedQuery {
  query: Uint8Array;
  /** null when nothing was sent (not a query, or dropped). */
  reply: Uint8Array | null;
  proto: Proto;
  client: Client;
  /** From the message's arrival to its reply, in milliseconds. */
  durationMs: number;
}

export interface QueryObserver {
  observe(query: ObservedQuery): void;
}

/** One observer that tells each of `observers`, or undefined when there are none. */
export function allObservers(observers: readonly QueryObserver[]): QueryObserver | undefined {
  if (observers.length === 0) return undefined;
  if (observers.length === 1) return observers[0];
  return { observe: (q) => observers.forEach((o) => o.observe(q)) };
}

/**
 * `handle`, telling `observer` of every message once its reply is known. `now` is a clock in
 * milliseconds (performance.now in the container).
 */
export function observedHandler(
  handle: MessageHandler,
  observer: QueryObserver,
  now: () => number,
): MessageHandler {
  return (message, transport, client) => {
    const start = now();
    const tell = (reply: Buffer | null) =>
      observer.observe({
        query: message,
        reply,
        proto: transport,
        client,
        durationMs: now() - start,
      });
    const result = handle(message, transport, client);
    if (!(result instanceof Promise)) {
      queueMicrotask(() => tell(result));
      return result;
    }
    return result.then((reply) => {
      queueMicrotask(() => tell(reply));
      return reply;
    });
  };
}
