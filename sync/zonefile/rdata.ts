// RDATA in presentation format (RFC 1035 §3.3, §5) to the `data` of a dns-packet Answer, one
// reader per type; `\#` generic RDATA (RFC 3597 §5) for any type.
import { ipv4Bytes, ipv6Bytes, parseIp } from '../../functions/core/ip.ts';
import { characterString, tokenBytes, unsigned } from './character-string.ts';
import { domainName } from './domain-name.ts';
import type { Token } from './entries.ts';
import { genericRdata } from './generic-rdata.ts';
import type { RecordType } from './record-types.ts';
import { svcbRdata } from './svcb-rdata.ts';
import { ttlSeconds } from './ttl.ts';
import { fail } from './zone-file-error.ts';

/** The RDATA fields of one record. */
export interface RdataInput {
  type: RecordType;
  tokens: Token[];
  /** The current origin (canonical). */
  origin: string | undefined;
  file: string;
  /** The line of the record, for a field that is missing. */
  line: number;
}

const FIELDS: Record<string, string> = {
  A: 'ADDRESS',
  AAAA: 'ADDRESS',
  NS: 'NSDNAME',
  CNAME: 'CNAME',
  DNAME: 'TARGET',
  PTR: 'PTRDNAME',
  MX: 'PREFERENCE EXCHANGE',
  SRV: 'PRIORITY WEIGHT PORT TARGET',
  SOA: 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM',
  CAA: 'FLAGS TAG VALUE',
};

/** The `type` and `data` of the Answer for `input`'s RDATA. */
export function parseRdata(input: RdataInput): { type: string; data: unknown } {
  const data = rdataOf(input);
  // A CAA value dns-packet cannot write as text (caa below) stays bytes, under the type number.
  const bytes = input.type.mnemonic === 'CAA' && Buffer.isBuffer(data);
  return { type: bytes ? `UNKNOWN_${input.type.number}` : input.type.packetName, data };
}

function rdataOf(input: RdataInput): unknown {
  const { type, tokens, file } = input;
  const mnemonic = type.mnemonic;
  if (tokens[0]?.raw === '\\#') return genericRdata(input);
  if (!type.presentation)
    fail({ file, line: input.line }, `${mnemonic}: expected generic RDATA '\\# LENGTH HEX'`);
  if (mnemonic === 'TXT') {
    if (tokens.length === 0) fail({ file, line: input.line }, 'TXT: expected a character-string');
    return tokens.map((t) => characterString(t, file, 'TXT'));
  }
  if (mnemonic === 'SVCB' || mnemonic === 'HTTPS') return svcbRdata(input);
  const fields = FIELDS[mnemonic]!;
  const count = fields.split(' ').length;
  if (tokens.length !== count) {
    const at = tokens[count] ?? tokens[tokens.length - 1];
    fail({ file, line: at?.line ?? input.line }, `${mnemonic}: expected ${fields}`);
  }
  const name = (i: number, field: string) =>
    domainName(tokens[i]!, input.origin, file, `${mnemonic} ${field}`);
  const u16 = (i: number, field: string) => unsigned(tokens[i]!, file, `${mnemonic} ${field}`, 16);
  switch (mnemonic) {
    case 'A':
    case 'AAAA':
      return address(mnemonic, tokens[0]!, file);
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return name(0, fields);
    case 'MX':
      return { preference: u16(0, 'PREFERENCE'), exchange: name(1, 'EXCHANGE') };
    case 'SRV':
      return {
        priority: u16(0, 'PRIORITY'),
        weight: u16(1, 'WEIGHT'),
        port: u16(2, 'PORT'),
        target: name(3, 'TARGET'),
      };
    case 'SOA':
      return soa(tokens, name, file);
    case 'CAA':
      return caa(tokens, file);
  }
  return fail({ file, line: input.line }, `${mnemonic}: no reader`);
}

function address(type: 'A' | 'AAAA', token: Token, file: string): string {
  const text = token.raw;
  if (type === 'A') {
    if (!ipv4Bytes(text)) fail({ file, line: token.line }, `A: '${text}' is not an IPv4 address`);
    return text;
  }
  if (!ipv6Bytes(text)) fail({ file, line: token.line }, `AAAA: '${text}' is not an IPv6 address`);
  const ip = parseIp(text);
  // RFC 5952 §4 text, except an IPv4-mapped address, which parseIp reads as IPv4.
  return ip?.family === 6 ? ip.text : text.toLowerCase();
}

function soa(tokens: Token[], name: (i: number, field: string) => string, file: string) {
  const period = (i: number, field: string) => {
    const token = tokens[i]!;
    const seconds = ttlSeconds(token.raw);
    if (seconds === undefined)
      fail({ file, line: token.line }, `SOA ${field}: '${token.raw}' is not a time period`);
    return seconds;
  };
  return {
    mname: name(0, 'MNAME'),
    rname: name(1, 'RNAME'),
    serial: unsigned(tokens[2]!, file, 'SOA SERIAL', 32),
    refresh: period(3, 'REFRESH'),
    retry: period(4, 'RETRY'),
    expire: period(5, 'EXPIRE'),
    minimum: period(6, 'MINIMUM'),
  };
}

/** CAA (RFC 8659 §4.1): dns-packet writes the value as UTF-8 text, so other bytes go generic. */
function caa(tokens: Token[], file: string): unknown {
  const flags = unsigned(tokens[0]!, file, 'CAA FLAGS', 8);
  const tagToken = tokens[1]!;
  const tag = tagToken.raw;
  // RFC 8659 §4.1.1: letters and digits, 1 to 15 of them.
  if (!/^[A-Za-z0-9]{1,15}$/.test(tag))
    fail({ file, line: tagToken.line }, `CAA TAG: '${tag}' is not 1 to 15 letters and digits`);
  const value = tokenBytes(tokens[2]!, file, 'CAA VALUE');
  if (value.every((b) => b < 0x80))
    // dns-packet writes `flags`; its issuerCritical would overwrite them with 128.
    return { flags, tag, value: Buffer.from(value).toString('latin1') };
  return Buffer.from([flags, tag.length, ...Buffer.from(tag, 'latin1'), ...value]);
}
