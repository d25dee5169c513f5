import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * Sends `queries` to our own UDP listener, `inFlight` at a time, and waits for the answers: the
 * whole receive -> resolve -> send path gets compiled before real clients arrive. A wildcard
 * listener is reached on loopback. Gives up quietly after `guardMs`.
 */
export function warmUpUdp(
  listen: { host: string; port: number },
  queries: Buffer[],
  inFlight = 32,
  guardMs = 10_000,
): Promise<number> {
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host;
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  let next = 0;
  let answered = 0;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(guard);
      socket.close();
      resolve(answered);
    };
    const guard = setTimeout(done, guardMs);
    const send = () => {
      const query = queries[next++];
      if (query) socket.send(query, listen.port, host);
    };
    socket.on('error', done);
    socket.on('message', () => {
      if (++answered >= queries.length) return done();
      send();
    });
    if (queries.length === 0) return done();
    for (let i = 0; i < inFlight; i++) send();
  });
}
