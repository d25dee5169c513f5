// Our own Node DoH server acting as an upstream resolver on 127.0.0.1 (plain HTTP), answering the
// zone example.com: what the edge entries forward to in tests (EDGE_DNS_FORWARD).
import * as dnsPacket from 'dns-packet';
import { dohApp } from '../../functions/doh/app.ts';
import { serveDoh } from '../../functions/doh/node-server.ts';
import { resolve } from '../../functions/core/resolver.ts';
import { kubernetesZone } from '../../functions/core/zone.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import { nodesFromText } from './records.ts';

export interface DohUpstreamServer {
  /** The RFC 8484 endpoint: http://127.0.0.1:PORT/dns-query */
  url: string;
  /** Question names asked, in order. */
  queries: string[];
  close(): Promise<void>;
}

export async function startDohUpstream(
  records: string[] = ['www.example.com. 300 IN A 127.0.0.8'],
): Promise<DohUpstreamServer> {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(records), 1);
  const ctx = { store, zones: [kubernetesZone('example.com', 300)] };
  const queries: string[] = [];
  const app = dohApp({
    resolve: (q) => {
      queries.push(dnsPacket.decode(Buffer.from(q)).questions?.[0]?.name ?? '?');
      return resolve(q, 'https', ctx);
    },
  });
  const listener = await serveDoh(app.fetch, { host: '127.0.0.1', port: 0 });
  return { url: `${listener.url}/dns-query`, queries, close: () => listener.close() };
}
