// A small DNS client over real sockets, for tests that cross the process boundary.
// UDP: one datagram out, one back (RFC 1035 §4.2.1). TCP: 2-byte length framing, several
// queries on one connection, replies possibly out of order (RFC 1035 §4.2.2, RFC 7766 §6.2.1).
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet, RecordType } from 'dns-packet';

export interface Addr {
  host: string;
  port: number;
}

/** A decoded reply plus the bytes it came from. */
export type Reply = DecodedPacket & { raw: Buffer };

/** A guard against a server that never answers; not an assertion on speed. */
const DEFAULT_TIMEOUT_MS = 5000;

let nextId = 1;

/** Builds a query packet. `opcode` goes into flag bits 11-14 (RFC 1035 §4.1.1). */
export function makeQuery(
  name: string,
  type: RecordType,
  opts: { id?: number; rd?: boolean; opcode?: number; edns?: number | false } = {},
): Packet {
  const id = opts.id ?? (nextId = (nextId % 0xffff) + 1);
  let flags = opts.rd === false ? 0 : dnsPacket.RECURSION_DESIRED;
  flags |= ((opts.opcode ?? 0) & 0xf) << 11;
  const packet: Packet = { type: 'query', id, flags, questions: [{ name, type, class: 'IN' }] };
  if (opts.edns !== undefined && opts.edns !== false) {
    packet.additionals = [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: opts.edns,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ];
  }
  return packet;
}

function toBuffer(query: Buffer | Packet): Buffer {
  return Buffer.isBuffer(query) ? query : dnsPacket.encode(query);
}

function decodeReply(raw: Buffer): Reply {
  return Object.assign(dnsPacket.decode(raw), { raw });
}

/** Sends raw bytes over UDP and resolves with the first datagram that comes back. */
function sendUdpRaw(addr: Addr, bytes: Buffer, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(addr.host) ? 'udp6' : 'udp4');
    const timer = setTimeout(
      () => finish(new Error(`no UDP reply from ${addr.host}:${addr.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function finish(err: Error | null, msg?: Buffer): void {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(msg as Buffer);
    }
    socket.once('message', (msg) => finish(null, msg));
    socket.once('error', (err) => finish(err));
    socket.send(bytes, addr.port, addr.host, (err) => {
      if (err) finish(err);
    });
  });
}

/** One query over UDP; resolves with the decoded reply. */
export async function queryUdp(
  addr: Addr,
  query: Buffer | Packet,
  timeoutMs?: number,
): Promise<Reply> {
  return decodeReply(await sendUdpRaw(addr, toBuffer(query), timeoutMs));
}

/**
 * Sends each message with a 2-byte length prefix on one TCP connection and resolves with the
 * first `expect` framed replies (default: one per message), in arrival order.
 */
export function sendTcpRaw(
  addr: Addr,
  messages: Buffer[],
  opts: { expect?: number; timeoutMs?: number } = {},
): Promise<Buffer[]> {
  const expect = opts.expect ?? messages.length;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    let done = false;
    const socket = connect({ host: addr.host, port: addr.port });
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `got ${replies.length} of ${expect} TCP replies from ${addr.host}:${addr.port} within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    function finish(err: Error | null): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies);
    }
    socket.on('connect', () => {
      socket.write(Buffer.concat(messages.map(frame)));
      if (expect === 0) finish(null);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        replies.push(pending.subarray(2, 2 + len));
        pending = pending.subarray(2 + len);
        if (replies.length >= expect) return finish(null);
      }
    });
    socket.on('error', (err) => finish(err));
    socket.on('close', () =>
      finish(
        replies.length >= expect
          ? null
          : new Error(`TCP connection closed after ${replies.length} of ${expect} replies`),
      ),
    );
  });
}

/** Prefixes a DNS message with its 2-byte length (RFC 1035 §4.2.2). */
export function frame(message: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(message.length);
  return Buffer.concat([len, message]);
}

/**
 * Several queries over one TCP connection. Replies are matched to queries by message ID when
 * the IDs are distinct (RFC 7766 §7 allows out-of-order replies), else kept in arrival order.
 */
export async function queryTcp(
  addr: Addr,
  queries: (Buffer | Packet)[],
  timeoutMs?: number,
): Promise<Reply[]> {
  const bytes = queries.map(toBuffer);
  const replies = (await sendTcpRaw(addr, bytes, { timeoutMs })).map(decodeReply);
  const ids = bytes.map((b) => b.readUInt16BE(0));
  if (new Set(ids).size !== ids.length) return replies;
  const byId = new Map(replies.map((r) => [r.id, r]));
  return ids.map((id, i) => byId.get(id) ?? (replies[i] as Reply));
}

/** The INFO-CODE of the first Extended DNS Error option (RFC 8914 §2), if the reply has one. */
export function edeOf(reply: DecodedPacket): number | undefined {
  const opt = reply.additionals?.find((a) => a.type === 'OPT') as
    { options?: { code: number; data: Buffer }[] } | undefined;
  return opt?.options?.find((o) => o.code === 15)?.data.readUInt16BE(0);
}

/** Rcode name from the low 4 bits of the header flags (RFC 1035 §4.1.1). */
export function rcodeOf(reply: DecodedPacket): string {
  const names = [
    'NOERROR',
    'FORMERR',
    'SERVFAIL',
    'NXDOMAIN',
    'NOTIMP',
    'REFUSED',
    'YXDOMAIN',
    'YXRRSET',
    'NXRRSET',
    'NOTAUTH',
    'NOTZONE',
  ];
  const code = (reply.flags ?? 0) & 0xf;
  return names[code] ?? `RCODE${code}`;
}
