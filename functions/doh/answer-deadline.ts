// The request deadline (docs/architecture.md §5.7): a resolve function whose answer is SERVFAIL
// when the real one is not ready in time, as RFC 8767 §5's client response timer answers a client
// that cannot wait. What it waited for is left to its own deadlines (each DynamoDB read and DoH
// upstream has one, derived from this); a late answer or failure is dropped.
import { servfail } from './servfail.ts';

type Resolve<A extends unknown[]> = (query: Uint8Array, ...rest: A) => Promise<Uint8Array | null>;

/** `resolve`, answering SERVFAIL (servfail.ts) when it has not answered within `deadlineMs`. */
export function withDeadline<A extends unknown[]>(
  resolve: Resolve<A>,
  deadlineMs: number,
  onLate?: (query: Uint8Array) => void,
): Resolve<A> {
  return (query, ...rest) =>
    new Promise((answer, fail) => {
      const timer = setTimeout(() => {
        onLate?.(query);
        answer(servfail(query));
      }, deadlineMs);
      resolve(query, ...rest).then(
        (reply) => {
          clearTimeout(timer);
          answer(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          fail(error);
        },
      );
    });
}
