// One query of each kind before the load runs, to show what the mix gets back (rcode and answer
// count, which dnsperf does not report: NODATA and a hit are both NOERROR to it).
import { createSocket } from 'node:dgram';
import { decode, encode, type Packet } from 'dns-packet';

export interface SpotResult {
  kind: string;
  query: string;
  rcode: string;
  answers: number;
  first: string;
}

/** Sends `name TYPE` to 127.0.0.1:port over UDP, one at a time; 2 s timeout per query. */
export async function spotCheck(
  port: number,
  queries: { kind: string; name: string; type: string }[],
): Promise<SpotResult[]> {
  const socket = createSocket('udp4');
  try {
    const results: SpotResult[] = [];
    for (const [i, q] of queries.entries()) {
      const message = encode({
        type: 'query',
        id: i + 1,
        flags: 0x0100,
        questions: [{ name: q.name, type: q.type as 'A', class: 'IN' }],
      });
      const reply = await new Promise<Packet>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no reply to ${q.name} ${q.type} within 2 s`)),
          2000,
        );
        socket.once('message', (data) => {
          clearTimeout(timer);
          resolve(decode(data));
        });
        socket.send(message, port, '127.0.0.1');
      });
      const first = reply.answers?.[0];
      const data: unknown = first && 'data' in first ? first.data : undefined;
      results.push({
        kind: q.kind,
        query: `${q.name} ${q.type}`,
        rcode: (reply as Packet & { rcode?: string }).rcode ?? '?', // decode sets it; the types omit it
        answers: reply.answers?.length ?? 0,
        first: first
          ? `${first.type} ${typeof data === 'object' ? JSON.stringify(data) : String(data)}`
          : '',
      });
    }
    return results;
  } finally {
    socket.close();
  }
}
