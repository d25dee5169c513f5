// How one upstream exchange ends (upstream-udp.ts, upstream-tcp.ts): the first of a reply, an
// error, the read timeout or the caller's abort settles it, once, and releases its socket.

export interface ExchangeEnd<T> {
  /** Settles with `error`, or with `value` when no error is given; later calls do nothing. */
  finish(error: Error | undefined, value?: T): void;
  readonly done: boolean;
}

export function exchangeEnd<T>(o: {
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** The errors for a timeout and an abort (built when they happen). */
  timedOut: () => Error;
  aborted: () => Error;
  /** Closes what the exchange holds (its socket). */
  release: () => void;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}): ExchangeEnd<T> {
  let done = false;
  const finish = (error: Error | undefined, value?: T): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    o.release();
    if (error) o.reject(error);
    else o.resolve(value as T);
  };
  const onAbort = (): void => finish(o.aborted());
  const timer = setTimeout(() => finish(o.timedOut()), o.timeoutMs);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    finish,
    get done() {
      return done;
    },
  };
}
