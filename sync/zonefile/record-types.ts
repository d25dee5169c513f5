// The types a zone file may hold: those read in presentation format, and any other as
// `TYPEnnn \# len hex` (RFC 3597 §5). Each has the name dns-packet gives it, since records come
// out as dns-packet Answers: dns-packet 5.6 has no SVCB or HTTPS (RFC 9460), so those are
// `UNKNOWN_64` and `UNKNOWN_65` with their RDATA as bytes, as a decoded query names them.

export interface RecordType {
  /** The mnemonic in zone files and errors ('HTTPS'), or `TYPEnnn`. */
  mnemonic: string;
  number: number;
  /** dns-packet's name: the Answer's `type` ('UNKNOWN_65' for HTTPS). */
  packetName: string;
  /** Read in presentation format (else only as `\#` generic RDATA). */
  presentation: boolean;
}

const KNOWN: readonly [string, number, string?][] = [
  ['A', 1],
  ['NS', 2],
  ['CNAME', 5],
  ['SOA', 6],
  ['PTR', 12],
  ['MX', 15],
  ['TXT', 16],
  ['AAAA', 28],
  ['SRV', 33],
  ['DNAME', 39],
  ['SVCB', 64, 'UNKNOWN_64'],
  ['HTTPS', 65, 'UNKNOWN_65'],
  ['CAA', 257],
];

const BY_MNEMONIC = new Map<string, RecordType>(
  KNOWN.map(([mnemonic, number, packetName]) => [
    mnemonic,
    { mnemonic, number, packetName: packetName ?? mnemonic, presentation: true },
  ]),
);
const BY_NUMBER = new Map([...BY_MNEMONIC.values()].map((t) => [t.number, t]));

/** Types an owner may not be asked for or hold (RFC 6895 §3.1: meta-types and QTYPEs). */
const NOT_DATA = new Set([0, 41, 128, 249, 250, 251, 252, 253, 254, 255]);

/** The type `text` names (a mnemonic in any case, or `TYPEnnn`), or undefined. */
export function recordType(text: string): RecordType | undefined {
  const upper = text.toUpperCase();
  const known = BY_MNEMONIC.get(upper);
  if (known) return known;
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  if (!generic) return undefined;
  const number = Number(generic[1]);
  if (number > 65535 || NOT_DATA.has(number)) return undefined;
  return (
    BY_NUMBER.get(number) ?? {
      mnemonic: `TYPE${number}`,
      number,
      packetName: `UNKNOWN_${number}`,
      presentation: false,
    }
  );
}

/** The mnemonics read in presentation format, for errors. */
export const PRESENTATION_TYPES = [...BY_MNEMONIC.keys()].join(' ');
