import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import type { ObservedQuery, Proto } from '../observe/query-observer.ts';
import { QueryLog } from './query-log.ts';
import { COMMON_FORMAT, compileFormat } from './log-format.ts';
import { compileLineBytes } from './line-bytes.ts';
import type { LogClass } from './response-class.ts';

// Each row: a query and its reply in presentation form, how it came, and the line CoreDNS's
// `log` would print for it in the common format, with the class CoreDNS's response.Classify
// gives the reply.

/** `owner TTL IN TYPE rdata` for the types the table uses. */
function rr(line: string): Answer {
  const [name, ttl, , type, ...rest] = line.split(/\s+/) as string[];
  const common = { name: name!.replace(/\.$/, ''), ttl: Number(ttl), class: 'IN' as const };
  if (type === 'SOA') {
    const [mname, rname, serial, refresh, retry, expire, minimum] = rest as string[];
    return {
      ...common,
      type,
      data: {
        mname: mname!.replace(/\.$/, ''),
        rname: rname!.replace(/\.$/, ''),
        serial: Number(serial),
        refresh: Number(refresh),
        retry: Number(retry),
        expire: Number(expire),
        minimum: Number(minimum),
      },
    } as Answer;
  }
  const data = type === 'CNAME' || type === 'NS' ? rest[0]!.replace(/\.$/, '') : rest[0]!;
  return { ...common, type, data } as Answer;
}

const SOA =
  'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5';
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;

interface Row {
  what: string;
  /** `NAME TYPE [CLASS]`; empty: a message without a question. */
  question: string;
  id: number;
  opcode?: number;
  /** EDNS payload size and DO bit; absent: no OPT. */
  edns?: { size: number; do?: boolean };
  proto: Proto;
  client: string;
  /** Header flags of the reply (QR, AA, RD, ...) with the rcode in the low bits. */
  flags: number;
  /** The OPT's extended rcode bits, for BADVERS. */
  extendedRcode?: number;
  answers?: string[];
  authorities?: string[];
  durationMs: number;
  line: string;
  class: Exclude<LogClass, 'all'>;
}

const rows: Row[] = [
  {
    what: 'A, answered (UDP, EDNS)',
    question: 'web.shop.svc.cluster.local A',
    id: 4242,
    edns: { size: 1232 },
    proto: 'udp',
    client: '10.0.0.7:53012',
    flags: QR | AA | RD,
    answers: ['web.shop.svc.cluster.local. 5 IN A 10.96.0.10'],
    durationMs: 0.123456,
    line: '[INFO] 10.0.0.7:53012 - 4242 "A IN web.shop.svc.cluster.local. udp 55 false 1232" NOERROR qr,aa,rd 97 0.000123456s',
    class: 'success',
  },
  {
    what: 'AAAA NODATA over TCP from IPv6: bufsize is 65535 on TCP',
    question: 'web.shop.svc.cluster.local AAAA',
    id: 7,
    proto: 'tcp',
    client: '::1:40000',
    flags: QR | AA | RD,
    authorities: [SOA],
    durationMs: 2.5,
    line: '[INFO] [::1]:40000 - 7 "AAAA IN web.shop.svc.cluster.local. tcp 44 false 65535" NOERROR qr,aa,rd 137 0.0025s',
    class: 'denial',
  },
  {
    what: 'NXDOMAIN with SOA, DO set, a large EDNS size; the name lowercased',
    question: 'Missing.Shop.svc.cluster.local A',
    id: 65535,
    edns: { size: 4096, do: true },
    proto: 'udp',
    client: '192.0.2.1:1',
    flags: QR | AA | RD | 3,
    authorities: [SOA],
    durationMs: 1,
    line: '[INFO] 192.0.2.1:1 - 65535 "A IN missing.shop.svc.cluster.local. udp 59 true 4096" NXDOMAIN qr,aa,rd 152 0.001s',
    class: 'denial',
  },
  {
    what: 'REFUSED over DoH: CoreDNS logs DoH as tcp',
    question: 'example.com A',
    id: 1,
    proto: 'https',
    client: '127.0.0.1:61000',
    flags: QR | RD | 5,
    durationMs: 0.05,
    line: '[INFO] 127.0.0.1:61000 - 1 "A IN example.com. tcp 29 false 65535" REFUSED qr,rd 29 0.00005s',
    class: 'error',
  },
  {
    what: 'SERVFAIL from the forwarder (RA set), an EDNS size under 512 counts as 512',
    question: 'example.org MX',
    id: 2,
    edns: { size: 256 },
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | RD | RA | 2,
    durationMs: 5000,
    line: '[INFO] 127.0.0.1:5300 - 2 "MX IN example.org. udp 40 false 512" SERVFAIL qr,rd,ra 40 5s',
    class: 'error',
  },
  {
    what: 'NXDOMAIN without SOA is an error to CoreDNS',
    question: 'gone.example A',
    id: 3,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | RD | RA | 3,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 3 "A IN gone.example. udp 30 false 512" NXDOMAIN qr,rd,ra 30 0.0005s',
    class: 'error',
  },
  {
    what: 'NOERROR with neither answers nor SOA (a referral) is a success',
    question: 'sub.example NS',
    id: 4,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | RD | RA,
    authorities: ['sub.example. 300 IN NS ns1.sub.example.'],
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 4 "NS IN sub.example. udp 29 false 512" NOERROR qr,rd,ra 69 0.0005s',
    class: 'success',
  },
  {
    what: 'a truncated answer (TC) is still a success',
    question: 'big.shop.svc.cluster.local A',
    id: 5,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | AA | TC | RD,
    answers: ['big.shop.svc.cluster.local. 5 IN A 10.0.0.1'],
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 5 "A IN big.shop.svc.cluster.local. udp 44 false 512" NOERROR qr,aa,tc,rd 86 0.0005s',
    class: 'success',
  },
  {
    what: 'AXFR is an error to CoreDNS whatever the rcode',
    question: 'cluster.local AXFR',
    id: 6,
    proto: 'tcp',
    client: '127.0.0.1:5300',
    flags: QR | RD | 5,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 6 "AXFR IN cluster.local. tcp 31 false 65535" REFUSED qr,rd 31 0.0005s',
    class: 'error',
  },
  {
    what: 'an unknown type and class CH',
    question: 'version.bind TYPE65280 CH',
    id: 8,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | RD | 5,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 8 "TYPE65280 CH version.bind. udp 30 false 512" REFUSED qr,rd 30 0.0005s',
    class: 'error',
  },
  {
    what: 'no question (FORMERR): the question fields are "-"',
    question: '',
    id: 9,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | 1,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 9 "- - - udp 12 false 512" FORMERR qr 12 0.0005s',
    class: 'error',
  },
  {
    what: 'EDNS version 1: BADVERS (extended rcode 1, RFC 6891 §6.1.3), named BADSIG as miekg/dns does',
    question: 'web.shop.svc.cluster.local A',
    id: 10,
    edns: { size: 1232 },
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | RD,
    extendedRcode: 1,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 10 "A IN web.shop.svc.cluster.local. udp 55 false 1232" BADSIG qr,rd 55 0.0005s',
    class: 'error',
  },
  {
    what: 'NOTIFY (opcode 4) answered NOTIMP: an error',
    question: 'cluster.local SOA',
    id: 11,
    opcode: 4,
    proto: 'udp',
    client: '127.0.0.1:5300',
    flags: QR | (4 << 11) | 4,
    durationMs: 0.5,
    line: '[INFO] 127.0.0.1:5300 - 11 "SOA IN cluster.local. udp 31 false 512" NOTIMP qr 31 0.0005s',
    class: 'error',
  },
];

function message(row: Row, response: boolean): Buffer {
  const [name, type, klass] = row.question.split(' ');
  const opt = (extendedRcode: number) =>
    row.edns && {
      type: 'OPT',
      name: '.',
      udpPayloadSize: row.edns.size,
      extendedRcode,
      ednsVersion: 0,
      flags: row.edns.do ? 0x8000 : 0,
    };
  const packet = {
    type: response ? 'response' : 'query',
    id: row.id,
    flags: response ? row.flags & ~QR : RD | ((row.opcode ?? 0) << 11),
    // dns-packet spells unknown types UNKNOWN_<n>.
    questions: name
      ? [{ name, type: type!.replace(/^TYPE/, 'UNKNOWN_'), class: klass ?? 'IN' }]
      : [],
    answers: response ? (row.answers ?? []).map(rr) : [],
    authorities: response ? (row.authorities ?? []).map(rr) : [],
    additionals: [opt(response ? (row.extendedRcode ?? 0) : 0)].filter(Boolean),
  };
  return dnsPacket.encode(packet as Packet);
}

function observed(row: Row): ObservedQuery {
  const colon = row.client.lastIndexOf(':');
  const address = row.client.slice(0, colon);
  return {
    query: message(row, false),
    reply: message(row, true),
    proto: row.proto,
    client: {
      address,
      port: Number(row.client.slice(colon + 1)),
      family: address.includes(':') ? 'IPv6' : 'IPv4',
    },
    durationMs: row.durationMs,
    cached: false,
  };
}

/** The lines logged for `only`, through both sinks: strings, and bytes written in place
 *  (LineWriter.writeWith, used by the container for text formats); both must agree. */
function logged(options: { format?: string; classes?: LogClass[]; json?: boolean }, only = rows) {
  const sinks = { strings: [] as string[], bytes: [] as string[] };
  const settings = {
    format: options.format ?? '{common}',
    classes: options.classes ?? ['all'],
    json: !!options.json,
  };
  const viaStrings = new QueryLog(settings, { write: (line) => sinks.strings.push(line) });
  const viaBytes = new QueryLog(settings, {
    write: (line) => sinks.bytes.push(line),
    writeWith: (maxBytes, fill) => {
      // Written at an offset into a larger buffer, as into a writer's chunk.
      const out = Buffer.alloc(maxBytes + 20).fill(0x7e);
      const end = fill(out, 7);
      assert.ok(end - 7 <= maxBytes, `line of ${end - 7} bytes over its bound ${maxBytes}`);
      sinks.bytes.push(out.toString('utf8', 7, end));
    },
  });
  for (const row of only) {
    viaStrings.observe(observed(row));
    viaBytes.observe(observed(row));
  }
  assert.deepEqual(sinks.bytes, sinks.strings, 'bytes written in place differ from the text');
  return sinks.strings;
}

for (const row of rows)
  test(`common format: ${row.what}`, () => {
    assert.deepEqual(logged({}, [row]), [row.line]);
  });

for (const cls of ['success', 'denial', 'error'] as const)
  test(`class ${cls}: only replies CoreDNS classifies as ${cls} are logged`, () => {
    const want = rows.filter((r) => r.class === cls).map((r) => r.line);
    assert.ok(want.length >= 2);
    assert.deepEqual(logged({ classes: [cls] }), want);
  });

test('classes combine; all logs every reply', () => {
  assert.deepEqual(
    logged({ classes: ['denial', 'error'] }),
    rows.filter((r) => r.class !== 'success').map((r) => r.line),
  );
  assert.equal(logged({ classes: ['all', 'error'] }).length, rows.length);
});

test('a custom format with every placeholder, {rtype} the first answer type or "-"', () => {
  const format =
    '{type} {name} {class} {proto} {remote} {port} {size} {rcode} {rtype} {rsize} {>rflags} {>bufsize} {>do} {>id} {>opcode} {duration}';
  assert.deepEqual(logged({ format }, [rows[0]!, rows[1]!, rows[3]!]), [
    '[INFO] A web.shop.svc.cluster.local. IN udp 10.0.0.7 53012 55 NOERROR A 97 qr,aa,rd 1232 false 4242 0 0.000123456s',
    '[INFO] AAAA web.shop.svc.cluster.local. IN tcp [::1] 40000 44 NOERROR - 137 qr,aa,rd 65535 false 7 0 0.0025s',
    '[INFO] A example.com. IN tcp 127.0.0.1 61000 29 REFUSED - 29 qr,rd 65535 false 1 0 0.00005s',
  ]);
});

test('{combined} is common plus the opcode; header placeholders ignore case', () => {
  assert.deepEqual(logged({ format: '{combined}' }, [rows[12]!]), [`${rows[12]!.line} "4"`]);
  assert.deepEqual(logged({ format: '{>ID} {>Do}' }, [rows[2]!]), ['[INFO] 65535 true']);
});

test('JSON: one object per line, the format placeholders as typed fields', () => {
  const [line] = logged({ json: true }, [rows[0]!]);
  assert.deepEqual(JSON.parse(line!), {
    remote: '10.0.0.7',
    port: 53012,
    id: 4242,
    type: 'A',
    class: 'IN',
    name: 'web.shop.svc.cluster.local.',
    proto: 'udp',
    size: 55,
    do: false,
    bufsize: 1232,
    rcode: 'NOERROR',
    rflags: 'qr,aa,rd',
    rsize: 97,
    duration: 0.000123456,
  });
  const [custom] = logged({ json: true, format: '{name} {rtype} {rcode}' }, [rows[1]!]);
  assert.equal(custom, '{"name":"web.shop.svc.cluster.local.","rtype":"-","rcode":"NOERROR"}');
});

test('a message with no reply (not a query) is not logged', () => {
  const lines: string[] = [];
  const log = new QueryLog(
    { format: '{common}', classes: ['all'], json: false },
    { write: (l) => lines.push(l) },
  );
  log.observe({ ...observed(rows[0]!), reply: null });
  assert.deepEqual(lines, []);
});

test('bad formats are refused with the reason', () => {
  assert.throws(() => compileFormat('{name} {local}'), /unknown placeholder \{local\}.*\{rtype\}/);
  assert.throws(() => compileFormat('{>foo}'), /unknown placeholder \{>foo\}/);
  assert.throws(() => compileFormat('just text', true), /at least one placeholder/);
  assert.equal(typeof compileFormat('literal { brace'), 'function');
});

test('lines written in place match the text for escaped names, long durations and odd values', () => {
  const entry = (name: string, durationMs: number, id: number, address: string) => ({
    query: { id, opcode: 0, name, type: 65280, class: 254, edns: true, do: true, udpSize: 4096 },
    reply: {
      flags: 0x87f0,
      opcode: 0,
      rcode: 4095,
      answers: 0,
      authoritySoa: false,
      authorityNs: 0,
    },
    querySize: 0,
    replySize: 65535,
    proto: 'udp' as const,
    address,
    port: 0,
    durationMs,
  });
  const format = `${COMMON_FORMAT} {rtype} "{>opcode}" ü`;
  const text = compileFormat(format);
  const bytes = compileLineBytes(format);
  for (const e of [
    entry('a\\.b\\255\\"x.example.', 1234.5678901, 65535, 'fe80::1%eth0'),
    entry('.', 0, 0, ''),
    entry('caf\u00e9.example.', 86_400_000, 9, '10.0.0.1'),
  ]) {
    let line = '';
    bytes(e, {
      writeWith: (max, fill) => {
        const out = Buffer.alloc(max);
        line = out.toString('utf8', 0, fill(out, 0));
      },
    });
    assert.equal(line, text(e));
  }
});
