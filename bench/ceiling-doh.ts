// The DoH ceiling: the least a Node HTTPS/HTTP2 server can do per DoH GET (answer a precomputed
// DNS message with the DoH headers), so bench/doh.ts can show what share of it edge-dns reaches.
// Usage: tsx bench/ceiling-doh.ts   (binds 127.0.0.1; prints `ceiling ready: https://127.0.0.1:PORT`)
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { precomputedAnswer } from './ceiling-udp.ts';

const root = new URL('..', import.meta.url);
const answer = precomputedAnswer();
const server = createSecureServer({
  cert: readFileSync(new URL('test/fixtures/tls/localhost.crt', root)),
  key: readFileSync(new URL('test/fixtures/tls/localhost.key', root)),
  allowHTTP1: true,
});
server.on('request', (_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/dns-message',
    'content-length': answer.length,
    'cache-control': 'max-age=5',
  });
  res.end(answer);
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address() as { port: number };
  console.log(`ceiling ready: https://127.0.0.1:${a.port}`);
});
