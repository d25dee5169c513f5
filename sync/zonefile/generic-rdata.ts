// Generic RDATA (RFC 3597 §5): `\# LENGTH HEX...`, for any type. A type read in presentation
// format becomes the same `data` as its presentation would (RFC 3597 §5: the two forms are
// equivalent), through dns-packet's codec; any other type keeps its bytes.
import * as dnsPacket from 'dns-packet';
import type { RdataInput } from './rdata.ts';
import { fail } from './zone-file-error.ts';

/** dns-packet's per-type RDATA codec (exported, not in its typings): RDLENGTH then RDATA. */
const codec = (
  dnsPacket as unknown as {
    record(type: string): {
      encode(data: unknown): Buffer;
      decode(buf: Buffer, offset?: number): unknown;
    };
  }
).record;

/** Types whose bytes stay bytes: dns-packet has no codec for them. */
const AS_BYTES = new Set(['SVCB', 'HTTPS']);

export function genericRdata(input: RdataInput): unknown {
  const { type, tokens, file } = input;
  const at = (i: number) => ({ file, line: tokens[i]?.line ?? input.line });
  const length = tokens[1]?.raw;
  if (length === undefined || !/^\d{1,5}$/.test(length) || Number(length) > 65535)
    fail(at(1), `${type.mnemonic}: expected '\\# LENGTH HEX' with LENGTH in 0..65535`);
  const hex = tokens
    .slice(2)
    .map((t) => t.raw)
    .join('');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex))
    fail(at(2), `${type.mnemonic}: generic RDATA is hex digits in pairs, got '${hex}'`);
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length !== Number(length))
    fail(at(1), `${type.mnemonic}: LENGTH says ${length} bytes, the hex holds ${bytes.length}`);
  if (!type.presentation || AS_BYTES.has(type.mnemonic)) return bytes;
  const framed = Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);
  let data: unknown;
  try {
    data = codec(type.packetName).decode(framed);
    if (!codec(type.packetName).encode(data).equals(framed)) data = undefined;
  } catch {
    data = undefined;
  }
  if (data !== undefined)
    return canonicalNames(type.mnemonic, data, (name) =>
      fail(at(2), `${type.mnemonic}: the name '${name}' has labels edge-dns cannot keep`),
    );
  // A CAA value that is not UTF-8 text: bytes, as parseRdata keeps such a value.
  if (type.mnemonic === 'CAA' && bytes.length >= 2 && bytes[1]! + 2 <= bytes.length) return bytes;
  return fail(at(2), `${type.mnemonic}: generic RDATA is not a valid ${type.mnemonic}`);
}

/**
 * dns-packet decodes names as spelled, the root as '.': make them canonical as presentation
 * names are (domain-name.ts), labels of printable ASCII without '.'.
 */
function canonicalNames(mnemonic: string, data: unknown, bad: (name: string) => never): unknown {
  const lower = (s: unknown) => {
    if (typeof s !== 'string') return s;
    if (s === '.') return '';
    if (!/^[\x21-\x7e]*$/.test(s) || s.includes('\\')) bad(s);
    return s.toLowerCase();
  };
  if (typeof data === 'string')
    return ['NS', 'CNAME', 'DNAME', 'PTR'].includes(mnemonic) ? lower(data) : data;
  if (typeof data !== 'object' || data === null) return data;
  const d = data as Record<string, unknown>;
  if (mnemonic === 'MX') return { ...d, exchange: lower(d.exchange) };
  if (mnemonic === 'SRV') return { ...d, target: lower(d.target) };
  if (mnemonic === 'SOA') return { ...d, mname: lower(d.mname), rname: lower(d.rname) };
  return data;
}
