// Client topology at the edge (docs/architecture.md §6.21): the A/AAAA answer of a headless
// Service lists the endpoints in the client's topology zone first. The zone comes from the query's
// EDNS Client Subnet (RFC 7871 §6), else the client's address, through EDGE_DNS_CLIENT_ZONES
// (edge-client-zones.ts); that zone's endpoints are its stored `<z>.prefer._zone.<svc>...` node
// (§6.20). Only the order changes, on a copy of the encoded reply: the same records for every client.
import * as dnsPacket from 'dns-packet';
import type { ResolverContext } from '../core/resolver.ts';
import { parseIp } from '../core/ip.ts';
import { canonicalName } from '../core/record.ts';
import { sameName, skipName } from '../core/wire-name.ts';
import { clientZoneOf, type ClientZone } from './edge-client-zones.ts';

/** The resolver context of one request, with the address its client connected from. */
export type ClientContext = ResolverContext & { clientAddress?: string };

type Resolve = (query: Uint8Array, ctx: ClientContext) => Promise<Uint8Array | null>;

const TYPES: Record<string, number> = { A: 1, AAAA: 28 };
const ECS = 8; // RFC 7871 §6 option code

/** `resolve` with the answers of headless Services ordered by the client's zone. */
export function withClientZoneOrder(resolve: Resolve, table: readonly ClientZone[]): Resolve {
  return async (query, ctx) => {
    const reply = await resolve(query, ctx);
    const asked = reply && question(query);
    const type = asked && TYPES[asked.type];
    if (!asked || !type) return reply;
    const client =
      asked.subnet === undefined && ctx.clientAddress
        ? { address: ctx.clientAddress, prefix: 128 }
        : asked.subnet;
    const zone = client && clientZoneOf(table, client.address, client.prefix);
    const name = canonicalName(asked.name);
    if (!zone || !isServiceName(name, ctx)) return reply;
    let local;
    try {
      local = (await ctx.store.lookup(`${zone}.prefer._zone.${name}`))?.sets.find(
        (s) => s.type === asked.type,
      );
    } catch {
      return reply; // the order is a preference: a read that fails leaves the answer as it is
    }
    if (!local) return reply;
    const keys = new Set(local.data.map((a) => String(parseIp(String(a))?.bytes)));
    return localFirst(reply, type, keys);
  };
}

/**
 * `ctx` for one request, with its client's address from hono's `env`: on Lambda the event's request
 * context (`http.sourceIp` of function URLs and HTTP APIs, `identity.sourceIp` of REST APIs).
 * Workers' `env` holds bindings, not the client: there the EDNS Client Subnet alone is read.
 */
export function withClientAddress(ctx: ResolverContext, env: unknown): ClientContext {
  const rc = (env as { requestContext?: Record<string, { sourceIp?: unknown } | undefined> })
    ?.requestContext;
  const ip = rc?.http?.sourceIp ?? rc?.identity?.sourceIp;
  return typeof ip === 'string' ? { ...ctx, clientAddress: ip } : ctx;
}

interface Asked {
  name: string;
  type: string;
  /** The ECS address and its SOURCE PREFIX-LENGTH; null for a /0 subnet, the client opting out
   *  of any address being used (RFC 7871 §7.1.2). */
  subnet?: { address: string; prefix: number } | null;
}

function question(query: Uint8Array): Asked | undefined {
  let packet;
  try {
    packet = dnsPacket.decode(Buffer.from(query.buffer, query.byteOffset, query.byteLength));
  } catch {
    return undefined;
  }
  const q = packet.questions?.[0];
  if (!q) return undefined;
  for (const rr of packet.additionals ?? [])
    if (rr.type === 'OPT')
      for (const o of rr.options ?? [])
        if (o.code === ECS && 'ip' in o && typeof o.ip === 'string') {
          const prefix = Number(o.sourcePrefixLength);
          return {
            name: q.name,
            type: q.type,
            subnet: prefix > 0 ? { address: o.ip, prefix } : null,
          };
        }
  return { name: q.name, type: q.type };
}

/** `<svc>.<ns>.svc.<zone>` in one of the context's zones (the longest). */
function isServiceName(name: string, ctx: ResolverContext): boolean {
  const zone = ctx.zones
    .map((z) => z.name)
    .filter((z) => z === '' || name.endsWith(`.${z}`))
    .sort((a, b) => b.length - a.length)[0];
  if (zone === undefined) return false;
  const labels = (zone === '' ? name : name.slice(0, -zone.length - 1)).split('.');
  return labels.length === 3 && labels[2] === 'svc';
}

/**
 * `reply` with the rdata of the first answer RRset of `type` reordered, those in `keys` first
 * (stable): swapping rdata keeps every owner name and pointer where it is. A reply that is not a
 * NOERROR answer, or does not parse, is returned as it is.
 */
function localFirst(reply: Uint8Array, type: number, keys: ReadonlySet<string>): Uint8Array {
  const m = reply;
  if (m.length < 12 || (m[3]! & 0x0f) !== 0) return reply;
  const questions = (m[4]! << 8) | m[5]!;
  const answers = (m[6]! << 8) | m[7]!;
  let at = 12;
  for (let i = 0; i < questions; i++) {
    const end = skipName(m, at);
    if (end < 0) return reply;
    at = end + 4;
  }
  const size = type === 1 ? 4 : 16;
  const rdata: number[] = [];
  let owner = -1;
  for (let i = 0; i < answers && at >= 0 && at < m.length; i++) {
    const end = skipName(m, at);
    if (end < 0 || end + 10 > m.length) return reply;
    const t = (m[end]! << 8) | m[end + 1]!;
    const length = (m[end + 8]! << 8) | m[end + 9]!;
    if (end + 10 + length > m.length) return reply;
    if (t === type && length === size && (owner < 0 || sameName(m, owner, at))) {
      if (owner < 0) owner = at;
      rdata.push(end + 10);
    }
    at = end + 10 + length;
  }
  // Copies (a Buffer's slice is a view).
  const values = rdata.map((o) => Uint8Array.from(m.subarray(o, o + size)));
  const isLocal = (v: Uint8Array) => keys.has(String([...v]));
  const ordered = [...values.filter(isLocal), ...values.filter((v) => !isLocal(v))];
  if (ordered.every((v, i) => v === values[i])) return reply;
  const out = Uint8Array.from(m);
  ordered.forEach((v, i) => out.set(v, rdata[i]!));
  return out;
}
