// The query log's line formats, with CoreDNS's `log` placeholders rendered as CoreDNS's replacer
// renders them, plus {rtype} (not CoreDNS: the first answer record's type, or "-"). A format is
// compiled once; a line is then a walk over its parts. JSON lines carry the same fields, named
// after their placeholders, typed (numbers, booleans, duration in seconds).
import { rcodeName } from '../observe/message-labels.ts';
import type { Proto } from '../observe/query-observer.ts';
import { typeName } from '../doh/record-types.ts';
import { durationSeconds } from './go-duration.ts';
import type { QueryFields, ReplyFields } from './message-fields.ts';

/** CoreDNS's CommonLogFormat, and CombinedLogFormat (common plus the opcode). */
export const COMMON_FORMAT =
  '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED_FORMAT = `${COMMON_FORMAT} "{>opcode}"`;

/** One answered query, as the query log sees it. */
export interface LogEntry {
  query: QueryFields;
  reply: ReplyFields;
  querySize: number;
  replySize: number;
  proto: Proto;
  address: string;
  port: number;
  durationMs: number;
}

const EMPTY = '-'; // CoreDNS's replacer.EmptyValue
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const FLAGS: [number, string][] = [
  [0x8000, 'qr'],
  [0x0400, 'aa'],
  [0x0200, 'tc'],
  [0x0100, 'rd'],
  [0x0080, 'ra'],
  [0x0040, 'z'],
  [0x0020, 'ad'],
  [0x0010, 'cd'],
];

/** The flags' text by the header bits FLAGS names (0x87f0 >> 4), built on first use. */
const FLAG_TEXT: (string | undefined)[] = [];
const flagList = (flags: number) =>
  (FLAG_TEXT[(flags & 0x87f0) >> 4] ??= FLAGS.filter(([bit]) => flags & bit)
    .map(([, name]) => name)
    .join(','));
/** Type names below 256 (every common type), read from record-types once each. */
const TYPE_TEXT: (string | undefined)[] = [];
const typeText = (type: number) =>
  type < 256 ? (TYPE_TEXT[type] ??= typeName(type)) : typeName(type);
// CoreDNS serves DoH through a writer whose remote address is TCP: it logs DoH as "tcp".
const protoName = (proto: Proto) => (proto === 'udp' ? 'udp' : 'tcp');
/** CoreDNS's request.Size: 65535 over TCP; the EDNS payload size over UDP, at least 512. */
const bufsize = (e: LogEntry) =>
  e.proto !== 'udp' ? 65535 : e.query.edns ? Math.max(512, e.query.udpSize) : 512;

export type Value = string | number | boolean;

/** Each placeholder: its JSON key and its value (strings as the text line shows them). */
const PLACEHOLDERS: Record<string, [key: string, value: (e: LogEntry) => Value]> = {
  '{type}': ['type', (e) => (e.query.type === undefined ? EMPTY : typeText(e.query.type))],
  '{name}': ['name', (e) => e.query.name ?? EMPTY],
  '{class}': [
    'class',
    (e) =>
      e.query.class === undefined ? EMPTY : (CLASSES[e.query.class] ?? `CLASS${e.query.class}`),
  ],
  '{proto}': ['proto', (e) => protoName(e.proto)],
  '{remote}': [
    'remote',
    (e) => (!e.address ? EMPTY : e.address.includes(':') ? `[${e.address}]` : e.address),
  ],
  '{port}': ['port', (e) => e.port],
  '{size}': ['size', (e) => e.querySize],
  '{>id}': ['id', (e) => e.query.id],
  '{>opcode}': ['opcode', (e) => e.query.opcode],
  '{>do}': ['do', (e) => e.query.do],
  '{>bufsize}': ['bufsize', bufsize],
  '{rcode}': ['rcode', (e) => rcodeName(e.reply.rcode)],
  '{rsize}': ['rsize', (e) => e.replySize],
  '{duration}': ['duration', (e) => durationSeconds(e.durationMs)],
  '{>rflags}': ['rflags', (e) => flagList(e.reply.flags)],
  '{rtype}': [
    'rtype',
    (e) => (e.reply.firstAnswerType === undefined ? EMPTY : typeText(e.reply.firstAnswerType)),
  ],
};

export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS);

/** JSON value of a field: numbers as numbers, the duration in seconds. */
function jsonValue(key: string, value: Value): Value {
  return key === 'duration' ? Number((value as string).slice(0, -1)) : value;
}

type Placeholder = (typeof PLACEHOLDERS)[string];

/**
 * A format (`{common}`, `{combined}`, or text with placeholders) as its literal text and
 * placeholders, in order. Throws an Error naming an unknown placeholder.
 */
export function formatParts(format: string): (string | Placeholder)[] {
  const text =
    format === '{common}' ? COMMON_FORMAT : format === '{combined}' ? COMBINED_FORMAT : format;
  const parts: (string | Placeholder)[] = [];
  let literal = '';
  for (let at = 0; at < text.length;) {
    const open = text.indexOf('{', at);
    const close = open < 0 ? -1 : text.indexOf('}', open);
    if (close < 0) {
      literal += text.slice(at);
      break;
    }
    literal += text.slice(at, open);
    let token = text.slice(open, close + 1);
    // CoreDNS's header placeholders are case-insensitive.
    if (token.startsWith('{>')) token = token.toLowerCase();
    const placeholder = PLACEHOLDERS[token];
    if (!placeholder)
      throw new Error(
        `unknown placeholder ${token} (known: {common}, {combined}, ${PLACEHOLDER_NAMES.join(' ')})`,
      );
    if (literal) parts.push(literal);
    literal = '';
    parts.push(placeholder);
    at = close + 1;
  }
  if (literal) parts.push(literal);
  return parts;
}

/**
 * A text format's line as literal text before each field, the fields' values, and the text after
 * the last: `[INFO] ` leads.
 */
export function textLine(format: string): {
  literals: string[];
  values: ((e: LogEntry) => Value)[];
  after: string;
} {
  const literals: string[] = [];
  const values: ((e: LogEntry) => Value)[] = [];
  let before = '[INFO] ';
  for (const part of formatParts(format)) {
    if (typeof part === 'string') before += part;
    else {
      literals.push(before);
      values.push(part[1]);
      before = '';
    }
  }
  return { literals, values, after: before };
}

/**
 * A format as a function from an entry to a line: `[INFO] ` and the text, or a JSON object of the
 * placeholders' fields. Throws an Error naming an unknown placeholder.
 */
export function compileFormat(format: string, json = false): (e: LogEntry) => string {
  if (json) {
    const fields = formatParts(format).filter((p) => typeof p !== 'string');
    if (fields.length === 0) throw new Error('a JSON log format needs at least one placeholder');
    return (e) => {
      const out: Record<string, Value> = {};
      for (const [key, value] of fields) out[key] = jsonValue(key, value(e));
      return JSON.stringify(out);
    };
  }
  const { literals, values, after } = textLine(format);
  return (e) => {
    let line = '';
    for (let i = 0; i < values.length; i++) line += literals[i]! + values[i]!(e);
    return line + after;
  };
}
