// The body of a DynamoDB item: one NameNode in a compact binary form (the item-size strategy of
// codec.ts). JSON of a 5,000-endpoint headless Service name is about 1.4 MB; this is 170 KB:
// - addresses as their 4 or 16 bytes when the text is canonical (else kept as text, never altered);
// - every domain name once, in a per-node table, written relative to the owner (the labels it
//   shares with the owner's tail are a count, not text); rdata refers to the table by index, so an
//   SRV target repeated for each port costs one varint;
// - integers as LEB128 varints; RR types as their RFC 1035 / 2782 / 3596 type numbers.
//
// Layout: version, flags (bit 0: synth 'dashed-ip', bit 1: synth 'zonal'), names table (count, then per name: shared
// owner labels, prefix), sets (count, then per set: type, form, ttl, count, rdata).
import { parseIp } from '../../core/ip.ts';
import type { NameNode, RecordSet, RecordType, SrvData } from '../../core/record.ts';
import { ByteReader, ByteWriter, CorruptItemError } from './codec-bytes.ts';

const VERSION = 1;
const SYNTH_DASHED_IP = 1;
const SYNTH_ZONAL = 2;
const synthFlags = { 'dashed-ip': SYNTH_DASHED_IP, zonal: SYNTH_ZONAL } as const;
const TEXT = 0;
const PACKED = 1;

const typeCodes: Record<RecordType, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
};
const typesByCode = new Map(Object.entries(typeCodes).map(([t, c]) => [c, t as RecordType]));

export function encodeBody(node: NameNode): Uint8Array {
  const flags = node.synth === undefined ? 0 : synthFlags[node.synth];
  if (flags === undefined) throw new Error(`unknown synth ${String(node.synth)}`);
  const names = new NameTable(node.name);
  const sets = new ByteWriter();
  sets.varint(node.sets.length);
  for (const set of node.sets) encodeSet(set, sets, names);
  const out = new ByteWriter();
  out.byte(VERSION);
  out.byte(flags);
  names.write(out);
  out.bytes(sets.finish());
  return out.finish();
}

export function decodeBody(name: string, body: Uint8Array): NameNode {
  const r = new ByteReader(body);
  const version = r.byte();
  if (version !== VERSION) throw new CorruptItemError(`unknown body version ${version}`);
  const flags = r.byte();
  const names = readNames(r, name);
  const sets: RecordSet[] = [];
  for (let n = r.varint(); n > 0; n--) sets.push(decodeSet(r, names));
  if (!r.done) throw new CorruptItemError('trailing bytes after the record sets');
  if (flags === SYNTH_DASHED_IP) return { name, sets, synth: 'dashed-ip' };
  if (flags === SYNTH_ZONAL) return { name, sets, synth: 'zonal' };
  if (flags !== 0) throw new CorruptItemError(`unknown body flags ${flags}`);
  return { name, sets };
}

function encodeSet(set: RecordSet, w: ByteWriter, names: NameTable): void {
  const code = typeCodes[set.type];
  if (code === undefined) throw new Error(`unknown record type ${String(set.type)}`);
  if (!Number.isInteger(set.ttl) || set.ttl < 0 || set.ttl > 0xffffffff)
    throw new Error(`${set.type} TTL out of range: ${set.ttl}`);
  w.byte(code);
  const packed =
    (set.type === 'A' || set.type === 'AAAA') && packable(set.data, set.type === 'A' ? 4 : 6);
  w.byte(packed ? PACKED : TEXT);
  w.varint(set.ttl);
  w.varint(set.data.length);
  switch (set.type) {
    case 'A':
    case 'AAAA':
      for (const ip of set.data) packed ? w.bytes(parseIp(ip)!.bytes) : w.string(ip);
      return;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      for (const target of set.data) w.varint(names.index(target));
      return;
    case 'SRV':
      for (const srv of set.data) {
        for (const field of ['priority', 'weight', 'port'] as const) {
          const v = srv[field];
          if (!Number.isInteger(v) || v < 0 || v > 0xffff)
            throw new Error(`SRV ${field} out of range: ${v}`);
          w.varint(v);
        }
        w.varint(names.index(srv.target));
      }
      return;
    case 'TXT':
      for (const strings of set.data) {
        w.varint(strings.length);
        for (const s of strings) w.string(s);
      }
  }
}

function decodeSet(r: ByteReader, names: string[]): RecordSet {
  const code = r.byte();
  const type = typesByCode.get(code);
  if (!type) throw new CorruptItemError(`unknown record type code ${code}`);
  const form = r.byte();
  const ttl = r.varint();
  const count = r.varint();
  const name = (): string => {
    const i = r.varint();
    if (i >= names.length) throw new CorruptItemError(`name index ${i} out of range`);
    return names[i]!;
  };
  const many = <T>(read: () => T): T[] => Array.from({ length: count }, read);
  switch (type) {
    case 'A':
      return {
        type,
        ttl,
        data: many(() => (form === PACKED ? Array.from(r.take(4)).join('.') : r.string())),
      };
    case 'AAAA':
      return { type, ttl, data: many(() => (form === PACKED ? ipv6Text(r.take(16)) : r.string())) };
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return { type, ttl, data: many(name) };
    case 'SRV':
      return {
        type,
        ttl,
        data: many((): SrvData => ({
          priority: r.varint(),
          weight: r.varint(),
          port: r.varint(),
          target: name(),
        })),
      };
    case 'TXT':
      return { type, ttl, data: many(() => Array.from({ length: r.varint() }, () => r.string())) };
  }
}

/** Addresses pack as bytes only when bytes -> text gives back exactly the stored text. */
function packable(data: string[], family: 4 | 6): boolean {
  return data.every((text) => {
    const ip = parseIp(text);
    return ip !== undefined && ip.family === family && ip.text === text;
  });
}

/** Canonical text (RFC 5952) of 16 bytes, through the one IP parser (functions/core/ip.ts). */
function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const ip = parseIp(groups.join(':'));
  if (!ip || ip.family !== 6) throw new CorruptItemError('packed AAAA is not an IPv6 address');
  return ip.text;
}

/** The owner's tails: tails[k] = the owner's last k labels ('' for k = 0). */
function ownerTails(owner: string): string[] {
  const labels = owner === '' ? [] : owner.split('.');
  const tails = [''];
  for (let k = 1; k <= labels.length; k++) tails.push(labels.slice(labels.length - k).join('.'));
  return tails;
}

/** Domain names of one node, each stored once, relative to the owner. */
class NameTable {
  #index = new Map<string, number>();
  #tails: string[];
  constructor(owner: string) {
    this.#tails = ownerTails(owner);
  }

  index(name: string): number {
    if (typeof name !== 'string') throw new Error(`not a domain name: ${String(name)}`);
    let i = this.#index.get(name);
    if (i === undefined) this.#index.set(name, (i = this.#index.size));
    return i;
  }

  write(w: ByteWriter): void {
    w.varint(this.#index.size);
    for (const name of this.#index.keys()) {
      const [shared, prefix] = this.#relative(name);
      w.varint(shared);
      w.string(prefix);
    }
  }

  /** [k, prefix] with name = prefix '.' tail(k), or the tail itself (prefix ''); k = 0: absolute. */
  #relative(name: string): [number, string] {
    for (let k = this.#tails.length - 1; k > 0; k--) {
      const tail = this.#tails[k]!;
      if (name === tail) return [k, ''];
      const cut = name.length - tail.length - 1;
      if (cut > 0 && name.endsWith(tail) && name[cut] === '.') return [k, name.slice(0, cut)];
    }
    return [0, name];
  }
}

function readNames(r: ByteReader, owner: string): string[] {
  const tails = ownerTails(owner);
  return Array.from({ length: r.varint() }, () => {
    const k = r.varint();
    const prefix = r.string();
    if (k >= tails.length)
      throw new CorruptItemError(`name shares ${k} labels with a ${tails.length - 1}-label owner`);
    if (k === 0) return prefix;
    return prefix === '' ? tails[k]! : `${prefix}.${tails[k]!}`;
  });
}
