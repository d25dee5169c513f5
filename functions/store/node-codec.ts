// A NameNode's body (its sets and synthesis) as compact bytes, for the node arena
// (node-arena.ts): about a fifth of its JSON, and decoded without a parser. Layout:
//   synth u8 (0 none, 1 dashed-ip, 2 zonal), set count (varint), then per set:
//   type u8 (the RR TYPE code, RFC 1035 §3.2.2; +0x80: addresses kept as text), TTL u32,
//   record count (varint), and per record:
//     A 4 bytes, AAAA 16 bytes (RFC 1035 §3.4.1, RFC 3596 §2.2), or text when the address is not
//       written in its canonical form (so that it reads back exactly as it went in);
//     CNAME, PTR, NS: a name (below);
//     SRV: priority, weight, port as u16 (RFC 2782), the target as a name;
//     TXT: the count of character-strings (varint) and each as text (RFC 1035 §3.3.14).
//   Text is a varint byte length and UTF-8; varints are LEB128, 7 bits a byte. A name is the count
//   of its last chars that are the owner's last chars too (varint; whole labels) and the text
//   before them: an SRV target is mostly its owner's name or its tail (`_http._tcp.<svc>` ->
//   `<svc>`, `<pod>.<svc>`), which halves the bench cluster's bodies.
import type { NameNode, RecordSet, SrvData, SynthKind } from '../core/record.ts';
import { formatV6 } from '../core/ip.ts';
import { canonicalV6Bytes, writeV4 } from './address-bytes.ts';

const SYNTH: readonly (SynthKind | undefined)[] = [undefined, 'dashed-ip', 'zonal'];
const CODE = { A: 1, NS: 2, CNAME: 5, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 } as const;
const TYPE: RecordSet['type'][] = [];
for (const [type, code] of Object.entries(CODE)) TYPE[code] = type as RecordSet['type'];
const TEXT = 0x80;

// The encoder writes into one scratch buffer, grown as needed; encodeNode returns a view of it.
let out = Buffer.allocUnsafeSlow(4096);
let w = 0;
let owner = '';

/** The body of `node` as bytes: a view valid until the next call. */
export function encodeNode(node: NameNode): Uint8Array {
  w = 0;
  owner = node.name;
  Buffer.byteLength(owner, 'utf8'); // flattens it, as in writeName
  room(1);
  out[w++] = node.synth === undefined ? 0 : synthCode(node.synth);
  writeVarint(node.sets.length);
  for (const set of node.sets) writeSet(set);
  return out.subarray(0, w);
}

function synthCode(synth: SynthKind): number {
  const code = SYNTH.indexOf(synth);
  if (code < 1) throw new RangeError(`unknown synthesis ${String(synth)}`);
  return code;
}

function writeSet(set: RecordSet): void {
  const code: number | undefined = CODE[set.type];
  if (code === undefined) throw new RangeError(`unknown record type ${String(set.type)}`);
  if (set.ttl >>> 0 !== set.ttl) throw new RangeError(`TTL ${set.ttl} is not a u32`);
  const asText =
    (set.type === 'A' && !set.data.every(canonicalV4)) ||
    (set.type === 'AAAA' && !set.data.every(canonicalV6));
  room(5);
  out[w++] = asText ? code | TEXT : code;
  out.writeUInt32LE(set.ttl, w);
  w += 4;
  writeVarint(set.data.length);
  if (set.type === 'SRV') for (const srv of set.data) writeSrv(srv);
  else if (set.type === 'TXT') for (const txt of set.data) writeTxt(txt);
  else if (asText) for (const text of set.data) writeText(text);
  else if (set.type !== 'A' && set.type !== 'AAAA') for (const name of set.data) writeName(name);
  else for (const address of set.data) writeAddress(set.type, address);
}

function writeAddress(type: 'A' | 'AAAA', address: string): void {
  if (type === 'A') {
    room(4);
    writeV4(address, out, w);
    w += 4;
    return;
  }
  const bytes = canonicalV6Bytes(address)!;
  room(16);
  for (const b of bytes) out[w++] = b;
}

function writeSrv(srv: SrvData): void {
  room(6);
  writeU16(srv.priority);
  writeU16(srv.weight);
  writeU16(srv.port);
  writeName(srv.target);
}

function writeU16(n: number): void {
  if (n >>> 0 !== n || n > 0xffff) throw new RangeError(`SRV field ${n} is not a u16`);
  out[w++] = n >> 8;
  out[w++] = n & 0xff;
}

function writeTxt(strings: string[]): void {
  writeVarint(strings.length);
  for (const s of strings) writeText(s);
}

function writeName(name: string): void {
  // Measuring flattens a string built by concatenation (V8 String::Flatten), which makes the
  // charCodeAt below cheap.
  Buffer.byteLength(name, 'utf8');
  const max = Math.min(name.length, owner.length);
  let shared = 0;
  while (
    shared < max &&
    name.charCodeAt(name.length - 1 - shared) === owner.charCodeAt(owner.length - 1 - shared)
  )
    shared++;
  // Whole labels only: the text written out is empty or ends with a dot.
  while (shared > 0 && shared < name.length && name.charCodeAt(name.length - 1 - shared) !== 0x2e)
    shared--;
  writeVarint(shared);
  writeText(shared === 0 ? name : name.slice(0, name.length - shared));
}

function writeText(s: string): void {
  const length = Buffer.byteLength(s, 'utf8');
  writeVarint(length);
  room(length);
  w += out.write(s, w, length, 'utf8');
}

function writeVarint(n: number): void {
  room(5);
  while (n > 0x7f) {
    out[w++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[w++] = n;
}

function room(n: number): void {
  if (w + n <= out.length) return;
  const next = Buffer.allocUnsafeSlow(2 * (w + n));
  out.copy(next, 0, 0, w);
  out = next;
}

function canonicalV4(address: string): boolean {
  return writeV4(address, undefined, 0);
}

function canonicalV6(address: string): boolean {
  return canonicalV6Bytes(address) !== undefined;
}

// The decoder reads from `src` at `r`: module state, so that decoding allocates only the node.
let src: Buffer = out;
let r = 0;
let name = '';

/** The node `name` whose body starts at `start` in `bytes`. */
export function decodeNode(owner: string, bytes: Buffer, start: number): NameNode {
  src = bytes;
  r = start;
  name = owner;
  const synth = SYNTH[src[r++]!];
  const count = readVarint();
  const sets: RecordSet[] = [];
  for (let i = 0; i < count; i++) sets.push(readSet());
  return synth === undefined ? { name: owner, sets } : { name: owner, sets, synth };
}

function readSet(): RecordSet {
  const code = src[r]!;
  const ttl = src.readUInt32LE(r + 1);
  r += 5;
  const count = readVarint();
  const type = TYPE[code & ~TEXT]!;
  if (type === 'SRV') {
    const data: SrvData[] = [];
    for (let i = 0; i < count; i++) {
      const priority = (src[r]! << 8) | src[r + 1]!;
      const weight = (src[r + 2]! << 8) | src[r + 3]!;
      const port = (src[r + 4]! << 8) | src[r + 5]!;
      r += 6;
      data.push({ priority, weight, port, target: readName() });
    }
    return { type, ttl, data };
  }
  if (type === 'TXT') {
    const data: string[][] = [];
    for (let i = 0; i < count; i++) {
      const strings: string[] = [];
      for (let n = readVarint(); n > 0; n--) strings.push(readText());
      data.push(strings);
    }
    return { type, ttl, data };
  }
  const data: string[] = [];
  if (code & TEXT) for (let i = 0; i < count; i++) data.push(readText());
  else if (type !== 'A' && type !== 'AAAA') for (let i = 0; i < count; i++) data.push(readName());
  else if (type === 'A')
    for (let i = 0; i < count; i++, r += 4)
      data.push(`${src[r]}.${src[r + 1]}.${src[r + 2]}.${src[r + 3]}`);
  else for (let i = 0; i < count; i++, r += 16) data.push(formatV6(src, r));
  return { type, ttl, data };
}

function readName(): string {
  const shared = readVarint();
  const text = readText();
  return shared === 0 ? text : text + name.slice(name.length - shared);
}

function readText(): string {
  const length = readVarint();
  const text = src.toString('utf8', r, r + length);
  r += length;
  return text;
}

function readVarint(): number {
  let n = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[r++]!;
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return n;
  }
}
