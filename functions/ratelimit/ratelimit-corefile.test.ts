import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCorefileIo } from '../corefile/memory-io.ts';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { rateLimitFromDirective } from './ratelimit-corefile.ts';

/** The `ratelimit` directive of `. { ... }` holding `body`, read as the container reads it. */
function ratelimit(body: string) {
  const text = `. {\n${body}\n}\n`;
  const io = { ...memoryCorefileIo({}), env: {}, supported: new Set(['ratelimit']) };
  const d = parseCorefile(text, 'Corefile', io).servers[0]!.directives[0]!;
  return rateLimitFromDirective(d);
}

test('both shapes the external plugins take, and edge-dns options', () => {
  const cases: [string, object][] = [
    ['ratelimit 50', { perClient: 50, allow: [], slip: 2, maxClients: 100_000 }],
    [
      'ratelimit 50 {\n whitelist 127.0.0.1 192.168.1.25\n}',
      { perClient: 50, allow: ['127.0.0.1', '192.168.1.25'], slip: 2, maxClients: 100_000 },
    ],
    [
      // The seed's shape.
      'ratelimit {\n per_second 100\n per_client 10\n whitelist 10.0.0.0/8\n}',
      { perSecond: 100, perClient: 10, allow: ['10.0.0.0/8'], slip: 2, maxClients: 100_000 },
    ],
    [
      'ratelimit {\n per_client 5\n slip 0\n max_clients 1000\n allow 192.0.2.0/24\n}',
      { perClient: 5, allow: ['192.0.2.0/24'], slip: 0, maxClients: 1000 },
    ],
  ];
  for (const [body, want] of cases) assert.deepEqual(ratelimit(body), want, body);
});

test('bad options name the line and what was expected', () => {
  const cases: [string, RegExp][] = [
    ['ratelimit', /Corefile:2 .*ratelimit: no limit: give LIMIT, per_client or per_second/],
    ['ratelimit 0', /Corefile:2 .*LIMIT: '0' is not a whole number from 1/],
    ['ratelimit 10 20', /Corefile:2 .*unexpected argument: 20/],
    ['ratelimit {\n per_client ten\n}', /Corefile:3 .*per_client: 'ten' is not a whole number/],
    ['ratelimit 5 {\n whitelist 10.0.0.0/33\n}', /Corefile:3 .*'10.0.0.0\/33' is not an address/],
    ['ratelimit 5 {\n whitelist\n}', /Corefile:3 .*whitelist needs at least one/],
    ['ratelimit 5 {\n burst 10\n}', /Corefile:3 .*unknown property 'burst'/],
    ['ratelimit 5 {\n slip 11\n}', /Corefile:3 .*slip: '11' is not a whole number from 0 to 10/],
  ];
  for (const [body, want] of cases) assert.throws(() => ratelimit(body), want, body);
});
