// One record of a packed answer (packed-sections.ts) and the byte string it is packed in. Reads
// build the objects dns-packet's decoder does ({ name, type, ttl, class, flush, data }) straight
// from the string, without a Buffer: names and addresses are kept as their text. Pure.
//
//   u8      form (Form) | 0x80 when the cache-flush bit is set (RFC 6762 §10.2)
//   then, for the wire form: u32 TTL, u16 length, the record as dns-packet writes it (RFC 1035
//   §4.1.3); for the others: u8 type (index in TYPES, 0: text follows), u8 class (1: IN, 0:
//   text follows), u32 TTL, text owner name, then the data: a text, or SRV, SOA and MX fields.
//   text    u8 length and latin1 chars; or 255, u16 length and UTF-8 bytes
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';

/** How a record's data is packed. */
const Form = { Text: 0, Srv: 1, Soa: 2, Mx: 3, Wire: 4 } as const;
type Form = (typeof Form)[keyof typeof Form];
const FLUSH = 0x80;
const TYPES = ['', 'A', 'AAAA', 'CNAME', 'NS', 'PTR', 'SOA', 'SRV', 'MX', 'TXT', 'DNAME', 'HTTPS'];
const LATIN1 = /^[\x00-\xff]{0,254}$/;

/** dns-packet's record codec; `bytes` is how many the last call wrote or read. */
const { answer: codec } = dnsPacket as unknown as {
  answer: {
    encode: { (rr: Answer, buf: Buffer, offset: number): Buffer; bytes: number };
    decode: { (buf: Buffer, offset: number): Answer; bytes: number };
  };
};

/** Packs into one scratch buffer; `finish` copies the bytes out as a string (undefined if full). */
const SCRATCH = Buffer.allocUnsafe(65536);

export class PackWriter {
  at = 0;
  #full = false;

  #room(n: number): boolean {
    if (this.at + n <= SCRATCH.length) return true;
    this.#full = true;
    return false;
  }

  u8(n: number): void {
    if (this.#room(1)) SCRATCH[this.at++] = n;
  }

  u16(n: number): void {
    if (this.#room(2)) this.at = SCRATCH.writeUInt16BE(n, this.at);
  }

  u32(n: number): void {
    if (this.#room(4)) this.at = SCRATCH.writeUInt32BE(n, this.at);
  }

  text(s: string): void {
    if (LATIN1.test(s)) {
      this.u8(s.length);
      if (this.#room(s.length)) this.at += SCRATCH.write(s, this.at, 'latin1');
      return;
    }
    const size = Buffer.byteLength(s, 'utf8');
    if (size > 0xffff) return void (this.#full = true);
    this.u8(255);
    this.u16(size);
    if (this.#room(size)) this.at += SCRATCH.write(s, this.at, 'utf8');
  }

  finish(): string | undefined {
    return this.#full ? undefined : SCRATCH.toString('latin1', 0, this.at);
  }
}

export class PackReader {
  constructor(
    readonly s: string,
    public at = 0,
  ) {}

  u8(): number {
    return this.s.charCodeAt(this.at++);
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }

  text(): string {
    let n = this.u8();
    const utf8 = n === 255;
    if (utf8) n = this.u16();
    const t = this.s.slice(this.at, (this.at += n));
    return utf8 ? Buffer.from(t, 'latin1').toString('utf8') : t;
  }
}

const isU16 = (n: unknown): n is number => Number.isInteger(n) && (n as number) >>> 16 === 0;
const isU32 = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffffffff;
const isText = (s: unknown): s is string => typeof s === 'string';

type Fields = Record<string, unknown>;
const srv = (d: Fields) =>
  isU16(d.priority) && isU16(d.weight) && isU16(d.port) && isText(d.target);
const soa = (d: Fields) =>
  isText(d.mname) &&
  isText(d.rname) &&
  [d.serial, d.refresh, d.retry, d.expire, d.minimum].every(isU32);
const mx = (d: Fields) => isU16(d.preference) && isText(d.exchange);

function formOf(r: Answer): Form {
  const data = (r as { data?: unknown }).data;
  if (typeof data === 'string') return Form.Text;
  if (typeof data !== 'object' || data === null) return Form.Wire;
  if (r.type === 'SRV' && srv(data as Fields)) return Form.Srv;
  if (r.type === 'SOA' && soa(data as Fields)) return Form.Soa;
  if (r.type === 'MX' && mx(data as Fields)) return Form.Mx;
  return Form.Wire;
}

/** Writes `r` with TTL `ttl`; false when it cannot be packed (the caller keeps the objects). */
export function writeRecord(w: PackWriter, r: Answer, ttl: number): boolean {
  const {
    name,
    type,
    class: klass = 'IN',
    flush,
  } = r as { name: unknown; type: unknown; class?: unknown; flush?: boolean };
  if (!isU32(ttl) || !isText(name) || !isText(type) || !isText(klass)) return false;
  const form = formOf(r);
  w.u8(form | (flush === true ? FLUSH : 0));
  if (form === Form.Wire) return writeWire(w, r, ttl);
  const t = TYPES.indexOf(type);
  w.u8(Math.max(t, 0));
  if (t <= 0) w.text(type);
  w.u8(klass === 'IN' ? 1 : 0);
  if (klass !== 'IN') w.text(klass);
  w.u32(ttl);
  w.text(name);
  const d = (r as { data: Fields | string }).data;
  if (typeof d === 'string') w.text(d);
  else if (form === Form.Srv) {
    for (const n of [d.priority, d.weight, d.port]) w.u16(n as number);
    w.text(d.target as string);
  } else if (form === Form.Soa) {
    w.text(d.mname as string);
    w.text(d.rname as string);
    for (const n of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(n as number);
  } else if (form === Form.Mx) {
    w.u16(d.preference as number);
    w.text(d.exchange as string);
  }
  return true;
}

/** Any other record, as dns-packet writes it (its decoder gives back what it gave the cache). */
function writeWire(w: PackWriter, r: Answer, ttl: number): boolean {
  w.u32(ttl);
  const lengthAt = w.at;
  w.u16(0);
  try {
    codec.encode({ ...r, ttl } as Answer, SCRATCH, w.at); // a RangeError when SCRATCH is full
    SCRATCH.writeUInt16BE(codec.encode.bytes, lengthAt);
  } catch {
    return false;
  }
  w.at += codec.encode.bytes;
  return true;
}

/** The next record, its TTL as stored less `age` (never below 0), or `ttl` when that is >= 0. */
export function readRecord(r: PackReader, age: number, ttl: number): Answer {
  const head = r.u8();
  const form = (head & ~FLUSH) as Form;
  if (form === Form.Wire) {
    const stored = Math.max(0, r.u32() - age);
    const size = r.u16();
    const bytes = Buffer.from(r.s.slice(r.at, (r.at += size)), 'latin1');
    const record = codec.decode(bytes, 0) as Answer & { ttl: number };
    record.ttl = ttl >= 0 ? ttl : stored;
    return record;
  }
  const t = r.u8();
  const type = t > 0 ? TYPES[t]! : r.text();
  const klass = r.u8() === 1 ? 'IN' : r.text();
  const stored = Math.max(0, r.u32() - age);
  const name = r.text();
  let data: unknown;
  if (form === Form.Text) data = r.text();
  else if (form === Form.Srv)
    data = { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.text() };
  else if (form === Form.Soa)
    data = {
      mname: r.text(),
      rname: r.text(),
      serial: r.u32(),
      refresh: r.u32(),
      retry: r.u32(),
      expire: r.u32(),
      minimum: r.u32(),
    };
  else data = { preference: r.u16(), exchange: r.text() };
  const flush = (head & FLUSH) !== 0;
  return { name, type, ttl: ttl >= 0 ? ttl : stored, class: klass, flush, data } as Answer;
}
