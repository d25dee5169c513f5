// Record items (docs/architecture.md §5.6): the `file` zones and `hosts` sources the sync
// publishes for the edge, each stored whole under an internal key, because a zone's answers
// depend on all of it (closest encloser, wildcards, cuts). An item is a NameNode, so it travels
// the path every node does: the body codec, parts, the planner's hashes, the change log and the
// edge cache. Its one TXT set carries the records, not TXT data: each string is a DNS message
// (RFC 1035 §4.1) in base64 whose answer section holds up to CHUNK records, which encodes every
// type the zone-file parser reads (SVCB and unknown types as raw RDATA, RFC 3597).
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { NameNode, RecordSet } from '../../core/record.ts';

/** The per-cluster index: which zones and hosts sources the cluster publishes. */
export const RECORD_INDEX = '.records';
const ZONE_PREFIX = '.zone/';
const HOSTS_PREFIX = '.hosts/';
/** Records per message: ANCOUNT is 16 bits (RFC 1035 §4.1.1). */
const CHUNK = 10_000;

/** A published zone's key: `.zone/<origin>` (the root zone: `.zone/`). */
export const zoneItemName = (origin: string) => `${ZONE_PREFIX}${origin}`;
/** The key of the `index`-th `hosts` source (in Corefile order). */
export const hostsItemName = (index: number) => `${HOSTS_PREFIX}${index}`;

/** Internal keys that hold published records (not parts or markers). */
export function isRecordItemName(key: string): boolean {
  return key === RECORD_INDEX || key.startsWith(ZONE_PREFIX) || key.startsWith(HOSTS_PREFIX);
}

/** What the index lists: a `file` zone, or a `hosts` source with its query-time options. */
export type RecordIndexEntry =
  | { kind: 'file'; origin: string }
  | {
      kind: 'hosts';
      item: string;
      zones: string[];
      fallthrough?: string[];
      fallthroughUnsupported: boolean;
    };

const txt = (name: string, data: string[][]): NameNode => ({
  name,
  sets: data.length > 0 ? [{ type: 'TXT', ttl: 0, data }] : [],
});
const strings = (node: NameNode): string[][] =>
  (node.sets.find((s) => s.type === 'TXT')?.data as string[][] | undefined) ?? [];

function encodeRecords(records: readonly Answer[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < records.length; i += CHUNK) {
    const answers = records.slice(i, i + CHUNK);
    out.push(Buffer.from(dnsPacket.encode({ type: 'response', answers })).toString('base64'));
  }
  return out;
}

function decodeRecords(text: string): Answer[] {
  return dnsPacket.decode(Buffer.from(text, 'base64')).answers ?? [];
}

/** The item of a zone: its records in file order. */
export function zoneItem(origin: string, records: readonly Answer[]): NameNode {
  return txt(
    zoneItemName(origin),
    encodeRecords(records).map((s) => [s]),
  );
}

export function zoneRecords(node: NameNode): Answer[] {
  return strings(node).flatMap(([s]) => (s === undefined ? [] : decodeRecords(s)));
}

/** The item of a hosts source: the file's nodes and the inline entries' nodes, kept apart
 *  (HostsTable reads the file's first). */
export function hostsItem(index: number, file: NameNode[], inline: NameNode[]): NameNode {
  const tagged = (tag: string, nodes: NameNode[]) =>
    encodeRecords(nodes.flatMap(nodeRecords)).map((s) => [tag, s]);
  return txt(hostsItemName(index), [...tagged('file', file), ...tagged('inline', inline)]);
}

export function hostsNodes(node: NameNode): { file: NameNode[]; inline: NameNode[] } {
  const of = (tag: string) =>
    groupNodes(strings(node).flatMap(([t, s]) => (t === tag && s ? decodeRecords(s) : [])));
  return { file: of('file'), inline: of('inline') };
}

export function recordIndex(entries: readonly RecordIndexEntry[]): NameNode {
  return txt(
    RECORD_INDEX,
    entries.map((e) => [JSON.stringify(e)]),
  );
}

export function recordIndexEntries(node: NameNode): RecordIndexEntry[] {
  return strings(node).map(([s]) => JSON.parse(s ?? 'null') as RecordIndexEntry);
}

/** A hosts node's sets as records (A, AAAA, PTR: plain text rdata). */
function nodeRecords(node: NameNode): Answer[] {
  return node.sets.flatMap((set) =>
    (set.data as string[]).map(
      (data) => ({ name: node.name, type: set.type, class: 'IN', ttl: set.ttl, data }) as Answer,
    ),
  );
}

/** Records back into nodes, owners and sets in the order first seen. */
function groupNodes(records: Answer[]): NameNode[] {
  const nodes = new Map<string, Map<string, RecordSet>>();
  for (const rr of records as (Answer & { ttl?: number; data: unknown })[]) {
    const sets = nodes.get(rr.name) ?? new Map<string, RecordSet>();
    nodes.set(rr.name, sets);
    const set = sets.get(rr.type) ?? ({ type: rr.type, ttl: rr.ttl ?? 0, data: [] } as RecordSet);
    sets.set(rr.type, set);
    (set.data as string[]).push(rr.data as string);
  }
  return [...nodes].map(([name, sets]) => ({ name, sets: [...sets.values()] }));
}
