// One question to an edge (the built Lambda or the Worker) as a wire GET, its reply as rcode and
// presentation lines (answers, then authorities); SOA serials, the syncs' change counters, as SERIAL.
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { makeQuery, rcodeOf } from './dns-client.ts';
import type { EdgeFetch } from './edge-instances.ts';
import { toPresentation } from './presentation.ts';

export async function askEdge(fetch: EdgeFetch, name: string, type: string): Promise<string[]> {
  const query = Buffer.from(dnsPacket.encode(makeQuery(name, type as RecordType, { id: 0 })));
  const res = await fetch(
    new Request(`https://doh.example/dns-query?dns=${query.toString('base64url')}`, {
      headers: { accept: 'application/dns-message' },
    }),
  );
  assert.equal(res.status, 200, `${name} ${type}: HTTP ${res.status}`);
  const reply = dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
  return [rcodeOf(reply), ...[...reply.answers!, ...reply.authorities!].map(toPresentation)].map(
    (l) => l.replace(/( SOA \S+ \S+) \d+/, '$1 SERIAL'),
  );
}
