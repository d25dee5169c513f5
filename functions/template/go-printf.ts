// Go's fmt.Sprintf for text/template's `printf`: verbs %v %s %d %q %x %X %o %b %c %t %f %e %g
// and %%, flags `-` `+` `0` ` ` `#`, width and precision (digits or `*`), and Go's in-band
// errors: %!d(string=x) for a wrong type, %!d(MISSING), %!(EXTRA type=value), %!(NOVERB).
import { formatFloat, formatValue, typeOf, type GoValue } from './go-value.ts';

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  sharp: boolean;
  width?: number;
  precision?: number;
}

export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec: Spec = { minus: false, plus: false, zero: false, space: false, sharp: false };
    let j = i + 1;
    for (; j < format.length && '-+0 #'.includes(format[j]!); j++) {
      const f = format[j]!;
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '0') spec.zero = true;
      else if (f === ' ') spec.space = true;
      else spec.sharp = true;
    }
    const number = (): number | undefined => {
      if (format[j] === '*') {
        j++;
        const n = args[next++];
        return typeof n === 'bigint' ? Number(n) : undefined;
      }
      const m = /^\d+/.exec(format.slice(j));
      if (!m) return undefined;
      j += m[0].length;
      return Number(m[0]);
    };
    spec.width = number();
    if (format[j] === '.') {
      j++;
      spec.precision = number() ?? 0;
    }
    const verb = format[j];
    i = j;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(formatOne(verb, args[next++], spec), spec);
  }
  if (next < args.length) {
    const extra = args.slice(next).map((a) => `${typeOf(a)}=${formatValue(a)}`);
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function pad(text: string, s: Spec): string {
  const width = s.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (s.minus) return text + ' '.repeat(width - length);
  if (s.zero && /^[+-]?[0-9a-fA-F.]/.test(text) && !text.startsWith('%!')) {
    const sign = /^[+-]/.test(text) ? text[0]! : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

const bad = (verb: string, v: GoValue) =>
  v === null || v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${typeOf(v)}=${formatValue(v)})`;

function signed(n: bigint, digits: string, s: Spec): string {
  const body = s.precision !== undefined ? digits.padStart(s.precision, '0') : digits;
  return (n < 0n ? '-' : s.plus ? '+' : s.space ? ' ' : '') + body;
}

function integer(verb: string, n: bigint, s: Spec): string {
  const abs = n < 0n ? -n : n;
  switch (verb) {
    case 'd':
    case 'v':
      return signed(n, abs.toString(10), s);
    case 'x':
      return signed(n, (s.sharp ? '0x' : '') + abs.toString(16), s);
    case 'X':
      return signed(n, (s.sharp ? '0X' : '') + abs.toString(16).toUpperCase(), s);
    case 'o':
      return signed(n, (s.sharp ? '0' : '') + abs.toString(8), s);
    case 'b':
      return signed(n, abs.toString(2), s);
    case 'c':
      return String.fromCodePoint(Number(abs));
    case 'q':
      return `'${quote(String.fromCodePoint(Number(abs)), "'")}'`;
    default:
      return bad(verb, n);
  }
}

function float(verb: string, f: number, s: Spec): string {
  const sign = (text: string) => (f >= 0 && s.plus ? '+' : f >= 0 && s.space ? ' ' : '') + text;
  switch (verb) {
    case 'v':
    case 'g':
      return sign(
        s.precision === undefined
          ? formatFloat(f)
          : String(Number(f.toPrecision(s.precision || 1))),
      );
    case 'f':
    case 'F':
      return sign(f.toFixed(s.precision ?? 6));
    case 'e': {
      const [m, e] = f.toExponential(s.precision ?? 6).split('e') as [string, string];
      return sign(
        `${m}e${e.startsWith('-') ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`,
      );
    }
    default:
      return bad(verb, f);
  }
}

/** Go's strconv.Quote body: `"` (or `'`) and `\` escaped, control characters as \n \t \xHH. */
function quote(text: string, q: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

function formatOne(verb: string, v: GoValue, s: Spec): string {
  if (typeof v === 'bigint') return integer(verb, v, s);
  if (typeof v === 'number') return float(verb, v, s);
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? String(v) : bad(verb, v);
  if (typeof v === 'string') {
    const cut = s.precision !== undefined ? [...v].slice(0, s.precision).join('') : v;
    if (verb === 's' || verb === 'v') return cut;
    if (verb === 'q') return s.sharp && !cut.includes('`') ? `\`${cut}\`` : `"${quote(cut, '"')}"`;
    if (verb === 'x' || verb === 'X') {
      const hex = [...new TextEncoder().encode(cut)].map((b) => b.toString(16).padStart(2, '0'));
      return verb === 'x' ? hex.join('') : hex.join('').toUpperCase();
    }
    return bad(verb, v);
  }
  if (v === null || v === undefined) return verb === 'v' ? '<nil>' : bad(verb, v);
  if (Array.isArray(v) && 'sv'.includes(verb))
    return `[${v.map((e) => formatOne(verb, e, { ...s, width: undefined })).join(' ')}]`;
  return verb === 'v' || verb === 's' ? formatValue(v) : bad(verb, v);
}
