// The JSON API's parameters (`name`, `type`, `cd`, `do`, as Google's and Cloudflare's
// /resolve take them) -> a DNS query in wire format (RFC 1035 §4.1), ID 0 and RD set.
import { typeNumber } from './record-types.ts';

export type JsonQuery = { query: Uint8Array } | { error: string };

const RD = 0x0100;
const CD = 0x0010;
/** The OPT record's UDP size; over DoH it only says "EDNS" (RFC 6891 §6.1.2). */
const EDNS_SIZE = 1232;

export function jsonQuery(params: {
  name?: string;
  type?: string;
  cd?: string;
  do?: string;
}): JsonQuery {
  if (params.name === undefined || params.name === '') return { error: 'missing name parameter' };
  const name = encodeName(params.name);
  if (typeof name === 'string') return { error: `bad name parameter: ${name}` };
  const type = params.type === undefined || params.type === '' ? 1 : typeNumber(params.type);
  if (type === undefined)
    return {
      error: `bad type parameter: ${params.type} is not a type name, TYPEn or a number in 1..65535`,
    };
  const dnssecOk = isTrue(params.do);
  const query = new Uint8Array(12 + name.length + 4 + (dnssecOk ? 11 : 0));
  const view = new DataView(query.buffer);
  view.setUint16(2, RD | (isTrue(params.cd) ? CD : 0));
  view.setUint16(4, 1); // QDCOUNT
  query.set(name, 12);
  let at = 12 + name.length;
  view.setUint16(at, type);
  view.setUint16(at + 2, 1); // class IN
  if (dnssecOk) {
    view.setUint16(10, 1); // ARCOUNT
    at += 4;
    // OPT (RFC 6891 §6.1.2): root owner, TYPE 41, CLASS = UDP size, TTL = ext-rcode|version|DO.
    view.setUint16(at + 1, 41);
    view.setUint16(at + 3, EDNS_SIZE);
    view.setUint16(at + 7, 0x8000); // DO (RFC 3225 §3)
  }
  return { query };
}

const isTrue = (value: string | undefined): boolean =>
  value === '1' || value?.toLowerCase() === 'true';

/**
 * A name in text (one optional trailing dot; '.' is the root) as wire labels (RFC 1035 §3.1):
 * labels of 1..63 printable ASCII characters without spaces or backslashes, at most 255 bytes
 * in all. Returns the reason as a string when it is not such a name.
 */
export function encodeName(text: string): Uint8Array | string {
  const bare = text === '.' ? '' : text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = bare === '' ? [] : bare.split('.');
  const wire = new Uint8Array(bare.length + 2 - (bare === '' ? 1 : 0));
  let at = 0;
  for (const label of labels) {
    if (label.length === 0) return 'empty label';
    if (label.length > 63) return `label longer than 63 characters: ${label.slice(0, 20)}...`;
    wire[at++] = label.length;
    for (let i = 0; i < label.length; i++) {
      const code = label.charCodeAt(i);
      if (code <= 0x20 || code >= 0x7f || code === 0x5c)
        return 'only printable ASCII without spaces or backslashes';
      wire[at++] = code;
    }
  }
  if (wire.length > 255) return 'longer than 255 bytes in wire format';
  return wire;
}
