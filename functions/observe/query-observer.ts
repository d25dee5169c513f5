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
  /**
   * The reply came back synchronously: from the resolver's answer cache (core/resolver.ts
   * resolveNow answers a hit at once, docs/architecture.md §3.2).
   */
  cached: boolean;
}

export interface QueryObserver {
  observe(query: ObservedQuery): void;
}

/** One observer that tells each of `observers`, or undefined when there are none. */
export function allObservers(observers: readonly QueryObserver[]): QueryObserver | undefined {
  if (observers.length === 0) return undefined;
  if (observers.length === 1) return observers[0];
  const list = [...observers];
  return {
    observe: (q) => {
      for (let i = 0; i < list.length; i++) list[i]!.observe(q);
    },
  };
}

/**
 * Observations waiting to be told to their observers, in one batch per turn of the event loop
 * (setImmediate where the runtime has it): the observers then run back to back on warm caches
 * instead of once between every two datagrams, which measured several times dearer per query
 * (bench/README.md, query log and metrics cost). Elsewhere, one promise reaction per batch.
 */
const pending: ObservedQuery[] = [];
const observers: QueryObserver[] = [];
const settled = Promise.resolve();
const defer: (run: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (run) => void settled.then(run);

function tellPending(): void {
  try {
    // What an observer queues meanwhile joins this batch (its push found it non-empty).
    for (let i = 0; i < pending.length; i++) observers[i]!.observe(pending[i]!);
  } finally {
    pending.length = observers.length = 0;
  }
}

/** Tells `observer` of `q` later in this turn, after the caller has handed the reply on. */
function later(observer: QueryObserver, q: ObservedQuery): void {
  if (pending.push(q) === 1) defer(tellPending);
  observers.push(observer);
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
    const result = handle(message, transport, client);
    if (!(result instanceof Promise)) {
      later(observer, observation(message, result, transport, client, now() - start, true));
      return result;
    }
    return observeReply(result, observer, now, start, message, transport, client);
  };
}

const observation = (
  query: Uint8Array,
  reply: Uint8Array | null,
  proto: Proto,
  client: Client,
  durationMs: number,
  cached: boolean,
): ObservedQuery => ({ query, reply, proto, client, durationMs, cached });

/**
 * Returns `result` (a handler's or resolver's reply, synchronous or a promise) and tells
 * `observer` of it once it is known (later in the turn), timed from `start` (a reading of `now`).
 * A rejected promise is passed on, unobserved.
 */
export function observeReply<R extends Uint8Array | null>(
  result: R | Promise<R>,
  observer: QueryObserver,
  now: () => number,
  start: number,
  query: Uint8Array,
  proto: Proto,
  client: Client,
): R | Promise<R> {
  if (!(result instanceof Promise)) {
    later(observer, observation(query, result, proto, client, now() - start, true));
    return result;
  }
  return result.then((reply) => {
    later(observer, observation(query, reply, proto, client, now() - start, false));
    return reply;
  });
}
