// CoreDNS's `loop` probe (functions/loop/): at start, `HINFO <random>.<random>.<zone>` is sent to
// this server's own UDP address for every block with `loop` and `forward`, once every 2 s until
// it is answered or a loop is found, at most 15 times (CoreDNS tries for about 30 s). An answer
// without a loop stands the detector down.
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import type { LoopDetector } from '../loop/loop-detector.ts';

const TRY_MS = 2_000;
const TRIES = 15;

/** Our own address to send to: a wildcard listen address is reached on loopback. */
export function selfAddress(address: { host: string; port: number }): {
  host: string;
  port: number;
} {
  const host =
    address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return { host, port: address.port };
}

/** Probes every detector; resolves when each has stood down, found a loop, or run out of tries. */
export async function probeLoops(
  detectors: readonly LoopDetector[],
  address: { host: string; port: number },
): Promise<void> {
  await Promise.all(detectors.map((d) => probeOne(d, selfAddress(address))));
}

async function probeOne(d: LoopDetector, to: { host: string; port: number }): Promise<void> {
  for (let i = 0; i < TRIES && !d.done; i++) {
    if (await askOnce(d.name, to)) d.standDown();
  }
}

/** One probe: true when any answer came within TRY_MS. */
function askOnce(name: string, to: { host: string; port: number }): Promise<boolean> {
  const id = Math.floor(Math.random() * 0xffff);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'HINFO', class: 'IN' }],
  });
  const socket = createSocket(to.host.includes(':') ? 'udp6' : 'udp4');
  return new Promise<boolean>((resolve) => {
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), TRY_MS);
    timer.unref();
    socket.on('error', () => done(false));
    socket.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === id) done(true);
    });
    socket.send(query, to.port, to.host);
  });
}
