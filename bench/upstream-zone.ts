// The loopback upstream of `npm run bench:forward`: answers bench/external-zone.ts's zone over UDP
// on 127.0.0.1 and counts every query it receives, so the benchmark can tell that its measured
// runs were cache hits (no upstream query). Its speed does not matter: only hits are measured.
// Runs in the benchmark's process. UDP only: every answer fits in 512 bytes (no TC, no TCP retry).
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { answer } from './external-zone.ts';

const QR = 0x8000;
const AA = 0x0400;
const RD = 0x0100;
const RA = 0x0080;
const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface ZoneUpstream {
  port: number;
  /** Every query received so far (any name, any source). */
  readonly queries: number;
  /** Queries for names outside the zone (answered REFUSED), the first few kept to print. */
  readonly outside: number;
  readonly outsideSeen: readonly string[];
  /** Queries for a question (name, type) asked before, the first few kept to print. */
  readonly repeats: number;
  readonly repeatsSeen: string[];
  /** Forgets the questions asked so far (a new forwarder starts with an empty cache). */
  forget(): void;
  close(): Promise<void>;
}

/** Starts the upstream on 127.0.0.1 (port 0: ephemeral) for a zone of `hosts` hosts. */
export async function startZoneUpstream(hosts: number, port = 0): Promise<ZoneUpstream> {
  const socket: Socket = createSocket('udp4');
  let queries = 0;
  let outside = 0;
  const outsideSeen: string[] = [];
  const asked = new Set<string>();
  let repeats = 0;
  const repeatsSeen: string[] = [];
  socket.on('message', (message, from) => {
    queries++;
    const reply = respond(
      message,
      hosts,
      (q) => {
        outside++;
        if (outsideSeen.length < 10) outsideSeen.push(q);
      },
      (q) => {
        if (!asked.has(q)) return void asked.add(q);
        repeats++;
        if (repeatsSeen.length < 10) repeatsSeen.push(q);
      },
    );
    if (reply) socket.send(reply, from.port, from.address);
  });
  socket.bind(port, '127.0.0.1');
  await once(socket, 'listening');
  return {
    port: socket.address().port,
    get queries() {
      return queries;
    },
    get outside() {
      return outside;
    },
    outsideSeen,
    get repeats() {
      return repeats;
    },
    repeatsSeen,
    forget: () => {
      asked.clear();
      repeatsSeen.length = 0;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The reply to one query: the question echoed as asked (RFC 1035 §4.1.2), AA, OPT if asked (RFC 6891 §6.1.1). */
function respond(
  message: Buffer,
  hosts: number,
  onOutside: (q: string) => void,
  onQuestion: (q: string) => void,
): Buffer | undefined {
  let query: Packet;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  if ((query.flags ?? 0) & QR) return undefined;
  const question = query.questions?.[0];
  const opt = query.additionals?.some((rr) => rr.type === 'OPT');
  const base = {
    id: query.id ?? 0,
    type: 'response' as const,
    questions: query.questions ?? [],
    additionals: opt ? [{ name: '.', type: 'OPT', udpPayloadSize: 1232, flags: 0 } as Answer] : [],
  };
  const flags = QR | AA | RA | ((query.flags ?? 0) & RD);
  if (!question || query.questions?.length !== 1)
    return dnsPacket.encode({ ...base, flags: flags | RCODE.FORMERR });
  const name = question.name.toLowerCase().replace(/\.$/, '');
  onQuestion(`${name} ${question.type}`);
  const found = question.class === 'IN' ? answer(name, question.type, hosts) : undefined;
  if (!found) {
    onOutside(`${question.name} ${question.class} ${question.type}`);
    return dnsPacket.encode({ ...base, flags: (flags & ~AA) | RCODE.REFUSED });
  }
  // Records owned by the question's name carry it as asked (a 0x20-mixed name stays mixed).
  const owned = (rr: Answer) => (rr.name === name ? { ...rr, name: question.name } : rr);
  return dnsPacket.encode({
    ...base,
    flags: flags | RCODE[found.rcode],
    answers: found.answers.map(owned),
    authorities: found.authorities,
  });
}
