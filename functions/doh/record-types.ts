// RR TYPE mnemonics and numbers (IANA "Resource Record (RR) TYPEs"), for the JSON API's `type`
// parameter and its numeric `type` fields. Covers every type dns-packet decodes by name.

const TYPES: Readonly<Record<string, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  NULL: 10,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  SIG: 24,
  KEY: 25,
  AAAA: 28,
  LOC: 29,
  SRV: 33,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  HIP: 55,
  CDS: 59,
  CDNSKEY: 60,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
  TA: 32768,
  DLV: 32769,
};

/**
 * The type number for a mnemonic (any case), a decimal number, or the RFC 3597 §5 `TYPE<n>`
 * form; undefined when it is none of these or outside 1..65535.
 */
export function typeNumber(text: string): number | undefined {
  const upper = text.toUpperCase();
  const known = Object.hasOwn(TYPES, upper) ? TYPES[upper] : undefined;
  if (known !== undefined) return known;
  const numeric = /^(?:TYPE)?(\d{1,5})$/.exec(upper) ?? /^UNKNOWN_(\d{1,5})$/.exec(upper);
  const n = numeric ? Number(numeric[1]) : NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
}

let names: Map<number, string> | undefined;

/** The mnemonic of a type number, or the RFC 3597 §5 `TYPE<n>` form when it has none. */
export function typeName(n: number): string {
  names ??= new Map(Object.entries(TYPES).map(([name, t]) => [t, name]));
  return names.get(n) ?? `TYPE${n}`;
}
