// The bytes a token stands for (RFC 1035 §5.1): quotes removed, `\DDD` a byte in decimal, `\X`
// the character X itself; other characters are their UTF-8 bytes.
import type { Token } from './entries.ts';
import { fail } from './zone-file-error.ts';

const utf8 = new TextEncoder();

/** The bytes of `token`; `field` names it in errors (`TXT`, `CAA value`). */
export function tokenBytes(token: Token, file: string, field: string): Uint8Array {
  const raw = token.raw;
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') continue;
    if (c !== '\\') {
      const char = String.fromCodePoint(raw.codePointAt(i)!);
      out.push(...utf8.encode(char));
      i += char.length - 1;
      continue;
    }
    const digits = /^\d{3}/.exec(raw.slice(i + 1, i + 4));
    if (digits) {
      const n = Number(digits[0]);
      if (n > 255) fail({ file, line: token.line }, `${field}: '\\${digits[0]}' is not a byte`);
      out.push(n);
      i += 3;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) fail({ file, line: token.line }, `${field}: a backslash ends the text`);
    if (/^\d/.test(next))
      fail({ file, line: token.line }, `${field}: '\\${raw.slice(i + 1, i + 4)}' is not \\DDD`);
    const char = String.fromCodePoint(raw.codePointAt(i + 1)!);
    out.push(...utf8.encode(char));
    i += char.length;
  }
  return Uint8Array.from(out);
}

/** A <character-string> (RFC 1035 §3.3): at most 255 bytes. */
export function characterString(token: Token, file: string, field: string): Buffer {
  const bytes = tokenBytes(token, file, field);
  if (bytes.length > 255)
    fail(
      { file, line: token.line },
      `${field}: a character-string holds at most 255 bytes, this one ${bytes.length}`,
    );
  return Buffer.from(bytes);
}

/** An unsigned integer field of `bits` bits (a plain decimal number). */
export function unsigned(token: Token, file: string, field: string, bits: 8 | 16 | 32): number {
  const max = 2 ** bits - 1;
  if (!/^\d{1,10}$/.test(token.raw) || Number(token.raw) > max)
    fail({ file, line: token.line }, `${field}: '${token.raw}' is not a number in 0..${max}`);
  return Number(token.raw);
}
