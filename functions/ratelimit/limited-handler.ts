// The rate limit in front of a port-53 handler (rate-limiter.ts): a query within the limits goes
// on; over them, UDP gets the slip's truncated reply or nothing, and TCP (whose source address the
// handshake proved) a REFUSED. `now` is the entry's clock in milliseconds.
import type { MessageHandler } from '../dns53/handler.ts';
import { limitedReply } from './limited-reply.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What the limiter does with a query from `address` now: 'pass', a reply, or null (nothing). */
export function limitedAnswer(
  message: Buffer,
  transport: 'udp' | 'tcp',
  limiter: RateLimiter,
  address: string,
  nowMs: number,
): Buffer | null | 'pass' {
  const verdict = limiter.admit(address, nowMs);
  if (verdict === 'pass') return 'pass';
  if (transport === 'tcp') return limitedReply(message, 'refused');
  return verdict === 'slip' ? limitedReply(message, 'truncated') : null;
}

export function rateLimitedHandler(
  handle: MessageHandler,
  limiter: RateLimiter,
  now: () => number,
): MessageHandler {
  return (message, transport, client) => {
    const answer = limitedAnswer(message, transport, limiter, client.address, now());
    return answer === 'pass' ? handle(message, transport, client) : answer;
  };
}
