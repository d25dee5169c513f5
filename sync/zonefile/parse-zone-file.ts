// RFC 1035 §5 master files to dns-packet Answers: `$ORIGIN`, `$TTL` (RFC 2308 §4), `$INCLUDE
// file [origin]`, a blank owner repeating the previous one, `@`, relative names, TTL and class
// in either order. Pure: an included file is read through `read`, which the caller passes in.
import type { Answer } from 'dns-packet';
import { domainName } from './domain-name.ts';
import { splitEntries, type Entry, type Token } from './entries.ts';
import { parseRdata } from './rdata.ts';
import { PRESENTATION_TYPES, recordType } from './record-types.ts';
import { looksLikeTtl, ttlSeconds } from './ttl.ts';
import { ZoneCheck } from './zone-check.ts';
import { fail, ZoneFileError } from './zone-file-error.ts';

export interface ZoneFileOptions {
  /** The file's name, for errors and for resolving a relative `$INCLUDE`. */
  file: string;
  /** The zone's apex: the origin until a `$ORIGIN`, and where the SOA must be. */
  origin: string;
  /** Reads an included file (its path resolved against the including file's folder). */
  read?: (path: string) => string;
}

/** NSD's limit on nested `$INCLUDE`s. */
const MAX_INCLUDE_DEPTH = 10;
/** The TTL of a record before any `$TTL` or explicit TTL (NSD and CoreDNS both use 3600). */
const DEFAULT_TTL = 3600;
const CLASSES = new Set(['IN', 'CH', 'CS', 'HS', 'NONE', 'ANY']);

interface State {
  file: string;
  origin: string;
  /** The `$TTL` value, if any (RFC 2308 §4). */
  defaultTtl?: number;
  /** The last TTL written on a record (RFC 1035 §5.1), used when there is no `$TTL`. */
  lastTtl?: number;
  previousOwner?: string;
  depth: number;
}

/**
 * The records of a zone file, absolute and canonical, in file order without duplicates, checked as
 * NSD checks a zone. Every problem is a ZoneFileError naming file and line.
 */
export function parseZoneFile(text: string, o: ZoneFileOptions): Answer[] {
  const origin = o.origin.toLowerCase().replace(/\.$/, '');
  const check = new ZoneCheck(origin);
  const lines = readEntries(
    text,
    { file: o.file, origin, previousOwner: origin, depth: 0 },
    check,
    o,
  );
  return check.finish({ file: o.file, line: lines });
}

/** Reads one file's entries into `check`; returns its line count. */
function readEntries(text: string, s: State, check: ZoneCheck, o: ZoneFileOptions): number {
  for (const entry of splitEntries(text, s.file)) {
    const first = entry.tokens[0]!;
    if (!entry.blankOwner && first.raw.startsWith('$')) directive(entry, s, check, o);
    else record(entry, s, check);
  }
  return text.split('\n').length;
}

function directive(entry: Entry, s: State, check: ZoneCheck, o: ZoneFileOptions): void {
  const [first, ...args] = entry.tokens as [Token, ...Token[]];
  const name = first.raw.toUpperCase();
  const at = { file: s.file, line: first.line };
  if (name === '$ORIGIN') {
    if (args.length !== 1) fail(at, '$ORIGIN: expected one domain name');
    s.origin = domainName(args[0]!, s.origin, s.file, '$ORIGIN');
  } else if (name === '$TTL') {
    const ttl = args.length === 1 ? ttlSeconds(args[0]!.raw) : undefined;
    if (ttl === undefined) fail(at, '$TTL: expected one TTL, such as 3600 or 1h30m');
    s.defaultTtl = ttl;
  } else if (name === '$INCLUDE') {
    if (args.length < 1 || args.length > 2) fail(at, '$INCLUDE: expected FILE [ORIGIN]');
    if (!o.read) fail(at, '$INCLUDE: this zone file is read without access to other files');
    if (s.depth + 1 >= MAX_INCLUDE_DEPTH)
      fail(at, `$INCLUDE: nested more than ${MAX_INCLUDE_DEPTH} deep`);
    const path = includePath(s.file, args[0]!.raw.replace(/^"|"$/g, ''));
    const origin = args[1] ? domainName(args[1], s.origin, s.file, '$INCLUDE ORIGIN') : s.origin;
    let text: string;
    try {
      text = o.read(path);
    } catch (error) {
      if (error instanceof ZoneFileError) throw error;
      return fail(at, `$INCLUDE: cannot read ${path}: ${(error as Error)?.message ?? error}`);
    }
    // RFC 1035 §5.1: the included file does not change the including file's origin.
    const inner: State = { ...s, file: path, origin, previousOwner: origin, depth: s.depth + 1 };
    readEntries(text, inner, check, o);
  } else {
    fail(at, `${first.raw}: edge-dns reads $ORIGIN, $TTL and $INCLUDE`);
  }
}

function record(entry: Entry, s: State, check: ZoneCheck): void {
  const tokens = [...entry.tokens];
  const at = { file: s.file, line: entry.line };
  let owner = s.previousOwner;
  if (!entry.blankOwner) owner = domainName(tokens.shift()!, s.origin, s.file, 'owner');
  if (owner === undefined) fail(at, 'a record with a blank owner before any owner');
  let ttl: number | undefined;
  let klass: string | undefined;
  for (let i = 0; i < 2 && tokens[0]; i++) {
    const field = tokens[0];
    const upper = field.raw.toUpperCase();
    if (ttl === undefined && looksLikeTtl(field.raw)) {
      ttl = ttlSeconds(field.raw);
      if (ttl === undefined) fail(at, `TTL: '${field.raw}' is not a TTL (0..2147483647, or 1h30m)`);
    } else if (klass === undefined && (CLASSES.has(upper) || /^CLASS\d+$/.test(upper))) {
      klass = upper;
    } else break;
    tokens.shift();
  }
  if (klass !== undefined && klass !== 'IN') fail(at, `${klass}: only class IN is supported`);
  const typeToken = tokens.shift();
  if (!typeToken) fail(at, 'expected a type after the owner, TTL and class');
  const type = recordType(typeToken.raw);
  if (!type)
    fail(
      { file: s.file, line: typeToken.line },
      `unknown type '${typeToken.raw}': edge-dns reads ${PRESENTATION_TYPES} and TYPEnnn`,
    );
  if (ttl !== undefined) s.lastTtl = ttl;
  const rdata = parseRdata({ type, tokens, origin: s.origin, file: s.file, line: entry.line });
  const rr = {
    name: owner,
    type: rdata.type,
    class: 'IN',
    ttl: ttl ?? s.defaultTtl ?? s.lastTtl ?? DEFAULT_TTL,
    data: rdata.data,
  } as unknown as Answer;
  check.add(rr, at);
  s.previousOwner = owner;
}

/** An include path as CoreDNS reads it: relative to the including file's folder. */
function includePath(from: string, path: string): string {
  if (path.startsWith('/')) return path;
  const slash = from.lastIndexOf('/');
  return slash < 0 ? path : `${from.slice(0, slash + 1)}${path}`;
}
