// One pass over every distinct question of the forward mix, before the measured runs of
// `npm run bench:forward`: the first pass fills a forwarder's cache, the second shows it answers
// all from there. Each reply is checked against the zone's own answer (rcode and answer count:
// dnsperf counts rcodes only, so it cannot tell a NODATA from a hit). Not timed for the report.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { answer } from './external-zone.ts';

export interface PassResult {
  sent: number;
  replies: number;
  lost: number;
  rcodes: Record<string, number>;
  /** Replies whose rcode or answer count differs from the zone's answer; the first few kept. */
  wrong: number;
  wrongSeen: string[];
  ms: number;
}

/**
 * Sends each `name TYPE` line once over UDP to 127.0.0.1:port from one socket, at most `window`
 * in flight: an upstream miss takes a round trip, past `max_concurrent` a forwarder refuses, and
 * 100 datagrams stay well inside a default 208 KiB receive buffer.
 */
export async function warmPass(
  port: number,
  lines: string[],
  hosts: number,
  window = 100,
  timeoutMs = 2000,
): Promise<PassResult> {
  const started = Date.now();
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const result: PassResult = {
    sent: 0,
    replies: 0,
    lost: 0,
    rcodes: {},
    wrong: 0,
    wrongSeen: [],
    ms: 0,
  };
  const pending = new Map<number, { line: string; timer: NodeJS.Timeout }>();
  let next = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let id = 0;

  const settle = (key: number) => {
    const entry = pending.get(key);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    pending.delete(key);
    return entry.line;
  };
  const pump = () => {
    while (pending.size < window && next < lines.length) {
      const line = lines[next++]!;
      const [name = '', type = 'A'] = line.split(' ');
      id = (id + 1) & 0xffff;
      const key = id;
      const timer = setTimeout(() => {
        if (settle(key) !== undefined) result.lost++;
        pump();
      }, timeoutMs);
      pending.set(key, { line, timer });
      socket.send(
        dnsPacket.encode({
          type: 'query',
          id: key,
          flags: dnsPacket.RECURSION_DESIRED,
          questions: [{ name, type: type as 'A', class: 'IN' }],
        }),
        port,
        '127.0.0.1',
      );
      result.sent++;
    }
    if (pending.size === 0 && next >= lines.length) done();
  };
  socket.on('message', (data) => {
    let reply: Packet & { rcode?: string };
    try {
      reply = dnsPacket.decode(data);
    } catch {
      return;
    }
    const line = settle(reply.id ?? -1);
    if (line === undefined) return;
    result.replies++;
    const rcode = reply.rcode ?? '?';
    result.rcodes[rcode] = (result.rcodes[rcode] ?? 0) + 1;
    const [name = '', type = ''] = line.split(' ');
    const expected = answer(name, type, hosts);
    const count = reply.answers?.length ?? 0;
    if (!expected || expected.rcode !== rcode || expected.answers.length !== count) {
      result.wrong++;
      if (result.wrongSeen.length < 5)
        result.wrongSeen.push(
          `${line}: ${rcode} ${count} answers, expected ${expected?.rcode ?? 'REFUSED'} ${expected?.answers.length ?? 0}`,
        );
    }
    pump();
  });
  pump();
  await finished;
  socket.close();
  result.ms = Date.now() - started;
  return result;
}
