// Domain names in a master file (RFC 1035 §5.1): `@` is the origin, a name without a final dot
// is relative to it, `\X` and `\DDD` escape a label's bytes. The result is canonical as the record
// model keeps names (docs/architecture.md §5.1): lowercase, no final dot, the root ''.
import type { Token } from './entries.ts';
import { fail } from './zone-file-error.ts';

/**
 * The absolute, canonical name `token` stands for, relative to `origin` (canonical; undefined
 * before any origin is known). `field` names the field in errors (`owner`, `MX exchange`).
 */
export function domainName(
  token: Token,
  origin: string | undefined,
  file: string,
  field: string,
): string {
  const at = { file, line: token.line };
  const raw = token.raw;
  if (raw.includes('"')) fail(at, `${field}: a name is not quoted: ${raw}`);
  if (raw === '@') {
    if (origin === undefined) fail(at, `${field}: '@' before any $ORIGIN`);
    return origin;
  }
  if (raw === '.') return '';
  const labels: string[] = [];
  let label = '';
  let size = 0;
  let absolute = false;
  const endLabel = (i: number) => {
    if (size === 0) fail(at, `${field}: '${raw}' has an empty label`);
    if (size > 63) fail(at, `${field}: a label of '${raw}' is longer than 63 bytes`);
    labels.push(label.toLowerCase());
    label = '';
    size = 0;
    absolute = i === raw.length - 1;
  };
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i]!;
    if (c === '.') {
      endLabel(i);
      continue;
    }
    if (c === '\\') {
      const digits = /^\d{3}/.exec(raw.slice(i + 1, i + 4));
      if (digits) {
        c = String.fromCharCode(Number(digits[0]));
        i += 3;
      } else {
        const next = raw[i + 1];
        if (next === undefined) fail(at, `${field}: '${raw}' ends with a backslash`);
        c = next;
        i++;
      }
    }
    // The record model keeps labels as text joined by dots (docs/architecture.md §5.1): a label
    // byte outside printable ASCII, or a dot inside a label, has no spelling there.
    const code = c.charCodeAt(0);
    if (code <= 0x20 || code >= 0x7f || c === '.')
      fail(at, `${field}: '${raw}': edge-dns keeps labels of printable ASCII without '.'`);
    label += c;
    size++;
  }
  if (size > 0 || labels.length === 0) endLabel(raw.length);
  if (!absolute) {
    if (origin === undefined) fail(at, `${field}: relative name '${raw}' before any $ORIGIN`);
    if (origin !== '') labels.push(origin);
  }
  const name = labels.join('.');
  // RFC 1035 §3.1: at most 255 bytes in wire form (a length byte per label, the root's zero).
  if (name.length + 2 > 255) fail(at, `${field}: '${raw}' is longer than 255 bytes`);
  return name;
}

/** The wire form of a canonical name (RFC 1035 §3.1), uncompressed. */
export function nameWire(name: string): number[] {
  const out: number[] = [];
  for (const label of name === '' ? [] : name.split('.')) {
    out.push(label.length);
    for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i));
  }
  out.push(0);
  return out;
}

/** True when `name` is `zone` or below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}
