// Polling with a deadline, for state another process owns and announces no event for (a DNS answer
// over the wire, an item in DynamoDB). The deadline is a guard, not an assertion on speed.

export interface PollOptions {
  /** Give up after this long (default 10 s). */
  deadlineMs?: number;
  /** Pause between tries (default 10 ms). */
  everyMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/** Calls `read` until `done(value)` holds; resolves with that value, rejects with the last one at the deadline. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  o: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + (o.deadlineMs ?? 10_000);
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${o.what ?? 'condition'} did not hold within ${o.deadlineMs ?? 10_000} ms; last value: ${JSON.stringify(value)}`,
      );
    await new Promise((r) => setTimeout(r, o.everyMs ?? 10));
  }
}
