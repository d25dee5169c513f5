// GET on a probe endpoint (common/probes/probe-server.ts) over a fresh connection, so that no
// keep-alive socket outlives the test.
import { get } from 'node:http';

export interface ProbeReply {
  status: number;
  body: string;
}

export function getProbe(url: string, timeoutMs = 5000): Promise<ProbeReply> {
  return new Promise((resolve, reject) => {
    const req = get(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (s: string) => (body += s));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.once('error', reject);
      },
    );
    req.once('timeout', () =>
      req.destroy(new Error(`no reply from ${url} within ${timeoutMs} ms`)),
    );
    req.once('error', reject);
  });
}
