// One resource record in presentation format (RFC 1035 §5.1), as CoreDNS's `template` parses a
// rendered answer (miekg/dns NewRR with origin "."): `owner [TTL] [CLASS] TYPE RDATA`, TTL and
// CLASS in either order, TTL 3600 and class IN when left out, names relative to the root, `@`
// the root, `( )` grouping, `;` comments, quoted TXT strings with \" \\ \DDD escapes (strings over
// 255 octets split, as miekg does). Types: A AAAA CNAME PTR NS MX SRV TXT SOA.
import type { Answer } from 'dns-packet';
import { ipv6Bytes, parseIp } from '../core/ip.ts';

export const RR_DEFAULT_TTL = 3600;
const CLASSES = new Set(['IN', 'CS', 'CH', 'HS', 'ANY']);
const TYPES = new Set(['A', 'AAAA', 'CNAME', 'PTR', 'NS', 'MX', 'SRV', 'TXT', 'SOA']);

interface Field {
  text: string;
  /** Written in quotes: a character-string, never a name or number. */
  quoted: boolean;
  /** Octets of a quoted string after escapes. */
  bytes?: number[];
}

/** Parses one record; throws an Error saying what is wrong (the caller names the template). */
export function parseRrLine(line: string): Answer {
  const f = fields(line);
  if (f.length === 0) throw new Error('empty record');
  const owner = name(f[0]!, 'owner');
  let ttl: number | undefined;
  let klass: string | undefined;
  let at = 1;
  for (; at < f.length && at <= 2; at++) {
    const word = f[at]!.text.toUpperCase();
    if (!f[at]!.quoted && klass === undefined && CLASSES.has(word)) klass = word;
    else if (!f[at]!.quoted && ttl === undefined && /^\d/.test(word)) ttl = ttlOf(f[at]!.text);
    else break;
  }
  const typeField = f[at];
  if (!typeField) throw new Error(`expected a type after "${f.map((x) => x.text).join(' ')}"`);
  const type = typeField.text.toUpperCase();
  if (!TYPES.has(type))
    throw new Error(
      `type "${typeField.text}" is not one a template may answer (${[...TYPES].join(' ')})`,
    );
  const rdata = f.slice(at + 1);
  const header = { name: owner, ttl: ttl ?? RR_DEFAULT_TTL, class: klass ?? 'IN' };
  return { ...header, type, data: rdataOf(type, rdata) } as Answer;
}

function rdataOf(type: string, r: Field[]): unknown {
  const count = (n: number) => {
    if (r.length !== n)
      throw new Error(`${type} wants ${n} rdata field${n > 1 ? 's' : ''}, got ${r.length}`);
  };
  switch (type) {
    case 'A': {
      count(1);
      const ip = parseIp(r[0]!.text);
      if (!ip || r[0]!.text.includes(':')) throw new Error(`bad A address "${r[0]!.text}"`);
      return ip.text;
    }
    case 'AAAA': {
      count(1);
      const bytes = r[0]!.text.includes(':') ? ipv6Bytes(r[0]!.text) : undefined;
      if (!bytes) throw new Error(`bad AAAA address "${r[0]!.text}"`);
      const words = Array.from({ length: 8 }, (_, i) =>
        ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16),
      );
      return words.join(':');
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      count(1);
      return name(r[0]!, `${type} target`);
    case 'MX':
      count(2);
      return { preference: uint(r[0]!, 16, 'preference'), exchange: name(r[1]!, 'exchange') };
    case 'SRV':
      count(4);
      return {
        priority: uint(r[0]!, 16, 'priority'),
        weight: uint(r[1]!, 16, 'weight'),
        port: uint(r[2]!, 16, 'port'),
        target: name(r[3]!, 'target'),
      };
    case 'SOA':
      count(7);
      return {
        mname: name(r[0]!, 'mname'),
        rname: name(r[1]!, 'rname'),
        serial: uint(r[2]!, 32, 'serial'),
        refresh: ttlOf(r[3]!.text),
        retry: ttlOf(r[4]!.text),
        expire: ttlOf(r[5]!.text),
        minimum: ttlOf(r[6]!.text),
      };
    default: {
      if (r.length === 0) throw new Error('TXT wants at least one character-string');
      const strings = r.flatMap((s) => {
        const bytes = s.bytes ?? [...new TextEncoder().encode(s.text)];
        const parts: Uint8Array[] = [];
        for (let i = 0; i === 0 || i < bytes.length; i += 255)
          parts.push(Uint8Array.from(bytes.slice(i, i + 255)));
        return parts;
      });
      return strings.map((b) => Buffer.from(b));
    }
  }
}

/** A domain name: canonical case kept, no trailing dot, '' the root; relative names are below the root. */
function name(f: Field, what: string): string {
  const text = f.text === '@' ? '.' : f.text;
  if (f.quoted || text.includes('\\'))
    throw new Error(`bad ${what} "${f.text}": escapes are not supported`);
  if (text === '.') return '';
  const bare = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = bare.split('.');
  const octets = new TextEncoder().encode(bare).length + 2;
  if (labels.some((l) => l === '' || new TextEncoder().encode(l).length > 63) || octets > 255)
    throw new Error(`bad ${what} "${f.text}"`);
  return bare;
}

function uint(f: Field, bits: 16 | 32, what: string): number {
  const n = /^\d+$/.test(f.text) ? Number(f.text) : NaN;
  if (!(n <= 2 ** bits - 1)) throw new Error(`bad ${what} "${f.text}"`);
  return n;
}

/** A TTL: seconds, or BIND's units (1h30m, 2d, 1w), at most 2^32-1. */
function ttlOf(text: string): number {
  let seconds = 0;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else if (/^(\d+[smhdw])+$/i.test(text)) {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    for (const [, n, u] of text.toLowerCase().matchAll(/(\d+)([smhdw])/g))
      seconds += Number(n) * unit[u!]!;
  } else throw new Error(`not a TTL: "${text}"`);
  if (seconds > 0xffffffff) throw new Error(`TTL out of range: "${text}"`);
  return seconds;
}

/** Whitespace-separated fields; quotes, parentheses and `;` comments as RFC 1035 §5.1 has them. */
function fields(line: string): Field[] {
  const out: Field[] = [];
  let depth = 0;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ';') {
      while (i < line.length && line[i] !== '\n') i++;
    } else if (c === '(' || c === ')') {
      depth += c === '(' ? 1 : -1;
      if (depth < 0) throw new Error('unbalanced parentheses');
      i++;
    } else if (c === '\n' && depth === 0) {
      if (line.slice(i).trim() !== '' && !/^\s*;/.test(line.slice(i).trim()))
        throw new Error('more than one record');
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\') {
          const ddd = /^\d{3}/.exec(line.slice(j + 1));
          if (ddd && Number(ddd[0]) <= 255) {
            bytes.push(Number(ddd[0]));
            j += 3;
            continue;
          }
          j++;
        }
        bytes.push(...new TextEncoder().encode(line[j] ?? ''));
      }
      if (j >= line.length) throw new Error('unterminated quoted string');
      out.push({ text: line.slice(i + 1, j), quoted: true, bytes });
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && !/[\s;()"]/.test(line[j]!)) j++;
      out.push({ text: line.slice(i, j), quoted: false });
      i = j;
    }
  }
  if (depth !== 0) throw new Error('unbalanced parentheses');
  return out;
}
