// The rate limit in front of a port-53 handler (rate-limiter.ts): a query within the limits goes
// on; over them, UDP gets the slip's truncated reply or nothing, and TCP (whose source address the
// handshake proved) a REFUSED. `now` is the entry's clock in milliseconds.
import type { MessageHandler } from '../dns53/handler.ts';
import { limitedReply } from './limited-reply.ts';
import type { RateLimiter } from './rate-limiter.ts';

export function rateLimitedHandler(
  handle: MessageHandler,
  limiter: RateLimiter,
  now: () => number,
): MessageHandler {
  return (message, transport, client) => {
    const verdict = limiter.admit(client.address, now());
    if (verdict === 'pass') return handle(message, transport, client);
    if (transport === 'tcp') return limitedReply(message, 'refused');
    return verdict === 'slip' ? limitedReply(message, 'truncated') : null;
  };
}
