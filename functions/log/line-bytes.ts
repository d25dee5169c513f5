// A text log line written straight into the line writer's buffer (LineWriter.writeWith): each
// field's value is taken once, the line's size bounded, and its bytes written. No string is built
// per line and no UTF-8 pass runs over it: the query log's cost on the serving path
// (bench/README.md) is mostly this. Output is byte for byte the text compileFormat renders.
import { textLine, type LogEntry, type Value } from './log-format.ts';

/** What the line is written into: LineWriter.writeWith. */
export interface ByteLineSink {
  writeWith(maxBytes: number, fill: (out: Buffer, at: number) => number): void;
}

/** Bytes a number or boolean field can take (a float's shortest form, "false"). */
const MAX_SCALAR = 32;
const UTF8_PER_UNIT = 3;

/** `format` (text, not JSON) as a writer of its lines. Throws as compileFormat does. */
export function compileLineBytes(format: string): (e: LogEntry, sink: ByteLineSink) => void {
  const line = textLine(format);
  const literals = line.literals.map((l) => Buffer.from(l, 'utf8'));
  const after = Buffer.from(line.after, 'utf8');
  const values = line.values;
  const taken: Value[] = new Array<Value>(values.length);
  let fixed = after.length;
  for (const l of literals) fixed += l.length;

  const fill = (out: Buffer, at: number): number => {
    for (let i = 0; i < values.length; i++) {
      at = copy(literals[i]!, out, at);
      const v = taken[i]!;
      at =
        typeof v === 'string'
          ? text(v, out, at)
          : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
            ? digits(v, out, at)
            : text(String(v), out, at);
    }
    return copy(after, out, at);
  };

  return (e, sink) => {
    let size = fixed;
    for (let i = 0; i < values.length; i++) {
      const v = (taken[i] = values[i]!(e));
      size += typeof v === 'string' ? v.length * UTF8_PER_UNIT : MAX_SCALAR;
    }
    sink.writeWith(size, fill);
  };
}

function copy(bytes: Buffer, out: Buffer, at: number): number {
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
  return at;
}

/** ASCII by hand (every field but a strange name is ASCII); the rest through the encoder. */
function text(s: string, out: Buffer, at: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return at + out.write(s.slice(i), at, 'utf8');
    out[at++] = c;
  }
  return at;
}

function digits(n: number, out: Buffer, at: number): number {
  if (n < 10) {
    out[at] = 0x30 + n;
    return at + 1;
  }
  let width = 1;
  for (let p = 10; p <= n; p *= 10) width++;
  for (let i = at + width - 1; i >= at; i--) {
    out[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + width;
}
