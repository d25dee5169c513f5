import * as dnsPacket from 'dns-packet';
import type { Answer, Question } from 'dns-packet';
import { ipv4Bytes, ipv6Bytes } from './ip.ts';

// Writes a response with name compression (RFC 1035 §4.1.4), which dns-packet's encoder lacks:
// without it, a dozen A records with service-length names fill 512 bytes. Owner names and the
// names inside NS, CNAME, PTR and SOA rdata are compressed; SRV targets are not (RFC 2782, RFC 3597
// §4). Records are written whole or not at all, so the writer also does truncation.

const SCRATCH = Buffer.allocUnsafe(65535);
const TYPE: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
};
const codec = dnsPacket as unknown as {
  answer: {
    encode(rr: Answer, buf: Buffer, offset: number): Buffer;
    encodingLength(rr: Answer): number;
  };
  question: {
    encode(q: Question, buf: Buffer, offset: number): Buffer;
    encodingLength(q: Question): number;
  };
};

class Overflow extends Error {}

export class MessageWriter {
  #at = 12;
  #names = new Map<string, number>();
  #added: string[] = [];

  constructor(public limit: number) {}

  /** Writes one question as asked (its name keeps its case and is a target for pointers). */
  question(q: Question): boolean {
    return this.#transaction(() => {
      const type = TYPE[q.type];
      // Types and classes we do not serve: dns-packet writes the question as it read it.
      if (type === undefined || (q.class ?? 'IN') !== 'IN')
        return this.#viaDnsPacket(codec.question, q);
      this.#name(q.name, true);
      this.#u16(type);
      this.#u16(1);
    });
  }

  /**
   * Copies a question byte for byte from the query (RFC 1035 §4.1.2: the answer repeats it), and
   * makes its name a compression target when its labels are plain ASCII.
   */
  rawQuestion(bytes: Uint8Array): boolean {
    return this.#transaction(() => {
      this.#ensure(bytes.length);
      SCRATCH.set(bytes, this.#at);
      const starts: number[] = [];
      let text = '';
      for (let i = 0; i < bytes.length && bytes[i] !== 0; i += 1 + bytes[i]!) {
        const end = i + 1 + bytes[i]!;
        for (let j = i + 1; j < end; j++)
          if (bytes[j]! >= 0x80 || bytes[j] === 0x2e) return void (this.#at += bytes.length);
        starts.push(text.length, this.#at + i);
        text += (text ? '.' : '') + SCRATCH.toString('latin1', this.#at + i + 1, this.#at + end);
      }
      for (let k = 0; k < starts.length; k += 2) {
        const at = starts[k + 1]!;
        const suffix = text.slice(starts[k]! + (k ? 1 : 0));
        if (at >= 0x3fff || this.#names.has(suffix)) continue;
        this.#names.set(suffix, at);
        this.#added.push(suffix);
      }
      this.#at += bytes.length;
    });
  }

  /** Writes one record whole, or nothing when it does not fit. */
  record(rr: Answer): boolean {
    return this.#transaction(() => this.#record(rr));
  }

  /** The message: the header written over the first 12 bytes, copied out of scratch. */
  finish(header: {
    id: number;
    flags: number;
    qd: number;
    an: number;
    ns: number;
    ar: number;
  }): Buffer {
    SCRATCH.writeUInt16BE(header.id, 0);
    SCRATCH.writeUInt16BE((header.flags & 0x7fff) | 0x8000, 2);
    SCRATCH.writeUInt16BE(header.qd, 4);
    SCRATCH.writeUInt16BE(header.an, 6);
    SCRATCH.writeUInt16BE(header.ns, 8);
    SCRATCH.writeUInt16BE(header.ar, 10);
    return Buffer.from(SCRATCH.subarray(0, this.#at));
  }

  /** Writes `value` uncompressed with one of dns-packet's codecs. */
  #viaDnsPacket<T>(
    c: { encode(v: T, buf: Buffer, offset: number): Buffer; encodingLength(v: T): number },
    value: T,
  ): void {
    const size = c.encodingLength(value);
    this.#ensure(size);
    c.encode(value, SCRATCH, this.#at);
    this.#at += size;
  }

  #transaction(write: () => void): boolean {
    const mark = this.#at;
    const names = this.#added.length;
    try {
      write();
      return true;
    } catch (error) {
      if (!(error instanceof Overflow)) throw error;
      this.#at = mark;
      for (const key of this.#added.splice(names)) this.#names.delete(key);
      return false;
    }
  }

  #record(rr: Answer): void {
    if (rr.type === 'OPT') {
      // RFC 6891 §6.1.2: root owner, CLASS = UDP size, TTL = extended rcode, version, flags.
      const opt = rr as unknown as {
        udpPayloadSize: number;
        extendedRcode?: number;
        ednsVersion?: number;
        flags?: number;
      };
      this.#ensure(11);
      SCRATCH[this.#at++] = 0;
      this.#u16(41);
      this.#u16(opt.udpPayloadSize);
      SCRATCH[this.#at++] = opt.extendedRcode ?? 0;
      SCRATCH[this.#at++] = opt.ednsVersion ?? 0;
      this.#u16(opt.flags ?? 0);
      this.#u16(0);
      return;
    }
    const type = TYPE[rr.type];
    if (type === undefined || (rr.class ?? 'IN') !== 'IN')
      return this.#viaDnsPacket(codec.answer, rr);
    this.#name(rr.name, true);
    this.#ensure(10);
    this.#u16(type);
    this.#u16(1);
    SCRATCH.writeUInt32BE((rr.ttl ?? 0) >>> 0, this.#at);
    this.#at += 4;
    const lengthAt = this.#at;
    this.#at += 2;
    this.#rdata(rr);
    SCRATCH.writeUInt16BE(this.#at - lengthAt - 2, lengthAt);
  }

  #rdata(rr: Answer): void {
    switch (rr.type) {
      case 'A':
      case 'AAAA': {
        const bytes = rr.type === 'A' ? ipv4Bytes(rr.data) : ipv6Bytes(rr.data);
        if (!bytes) throw new Error(`${rr.type} rdata is not an address: ${rr.data}`);
        this.#ensure(bytes.length);
        for (const b of bytes) SCRATCH[this.#at++] = b;
        return;
      }
      case 'NS':
      case 'CNAME':
      case 'PTR':
        return this.#name(rr.data, true);
      case 'SRV':
        this.#ensure(6);
        this.#u16(rr.data.priority ?? 0);
        this.#u16(rr.data.weight ?? 0);
        this.#u16(rr.data.port);
        return this.#name(rr.data.target, false);
      case 'TXT': {
        const strings = Array.isArray(rr.data) ? rr.data : [rr.data];
        for (const s of strings) {
          const bytes = Buffer.from(s);
          this.#ensure(1 + bytes.length);
          SCRATCH[this.#at++] = bytes.length;
          bytes.copy(SCRATCH, this.#at);
          this.#at += bytes.length;
        }
        return;
      }
      case 'SOA': {
        const d = rr.data;
        this.#name(d.mname, true);
        this.#name(d.rname, true);
        this.#ensure(20);
        for (const n of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) {
          SCRATCH.writeUInt32BE((n ?? 0) >>> 0, this.#at);
          this.#at += 4;
        }
        return;
      }
      default:
        throw new Error(`no writer for ${rr.type}`);
    }
  }

  /** A name, pointing at an earlier copy of its longest known suffix (case-sensitive match). */
  #name(name: string, compress: boolean): void {
    const n = name.endsWith('.') ? name.slice(0, -1) : name;
    for (let start = 0; start < n.length;) {
      const suffix = start === 0 ? n : n.slice(start);
      const pointer = this.#names.get(suffix);
      if (pointer !== undefined && compress) {
        this.#ensure(2);
        this.#u16(0xc000 | pointer);
        return;
      }
      if (pointer === undefined && this.#at < 0x3fff) {
        this.#names.set(suffix, this.#at);
        this.#added.push(suffix);
      }
      let dot = n.indexOf('.', start);
      if (dot < 0) dot = n.length;
      const label = n.slice(start, dot);
      const size = Buffer.byteLength(label);
      if (size === 0 || size > 63) throw new Overflow(); // not a name we can write
      this.#ensure(1 + size);
      SCRATCH[this.#at++] = size;
      this.#at += SCRATCH.write(label, this.#at, size, 'utf8');
      start = dot + 1;
    }
    this.#ensure(1);
    SCRATCH[this.#at++] = 0;
  }

  #u16(n: number): void {
    this.#ensure(2);
    SCRATCH.writeUInt16BE(n & 0xffff, this.#at);
    this.#at += 2;
  }

  #ensure(n: number): void {
    if (this.#at + n > this.limit) throw new Overflow();
  }
}
