// A short run of the fuzz campaign (bench/fuzz.ts runs a million inputs; bench/README.md has its
// report): generated inputs over UDP, TCP, DoT and DoH to the container, slow and half-open TCP
// connections after them. The process stays up, every probe is answered, and every DoH response
// is a DNS answer or a 4xx with a reason, never a 5xx.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from '../bench/fuzz-campaign.ts';
import { SAMPLE_CLUSTER, startContainer } from './support/container.ts';

const INPUTS = 3000;

const CERT = 'test/fixtures/tls/localhost.crt';

test(`fuzz campaign, short: ${INPUTS} generated inputs over UDP, TCP, DoT and DoH`, async () => {
  const c = await startContainer([
    ...['--snapshot', SAMPLE_CLUSTER, '--doh', '127.0.0.1:0', '--dot', '127.0.0.1:0'],
    ...['--dot-cert', CERT, '--dot-key', 'test/fixtures/tls/localhost.key'],
  ]);
  try {
    const doh = /edge-dns DoH on (http:\/\/\S+\/dns-query)/.exec(c.stdout())?.[1];
    const dot = /edge-dns DoT on tls:\/\/(\S+):(\d+)/.exec(c.stdout());
    assert.ok(doh && dot, c.stdout());
    const alive = () => {
      try {
        process.kill(c.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const report = await runFuzz(
      {
        ...{ udp: c.udp, tcp: c.tcp, doh, alive },
        dot: { host: dot[1]!, port: Number(dot[2]), ca: readFileSync(CERT) },
      },
      INPUTS,
      20261205,
    );
    assert.equal(report.exited, false, c.stderr());
    assert.equal(report.unanswered, 0, 'a probe went unanswered');
    assert.equal(
      Object.values(report.sent).reduce((a, b) => a + b, 0),
      INPUTS,
    );
    for (const proto of ['udp', 'tcp', 'dot'] as const) {
      const outcomes = report.outcomes[proto];
      assert.ok(
        (outcomes.FORMERR ?? 0) > 0 && (outcomes.NOERROR ?? 0) > 0,
        JSON.stringify(outcomes),
      );
      assert.equal(outcomes.SERVFAIL, undefined, `${proto}: SERVFAIL from data we hold`);
    }
    const statuses = Object.keys(report.outcomes.doh);
    assert.ok(statuses.includes('HTTP 200') && statuses.includes('HTTP 400'), statuses.join());
    for (const s of statuses) assert.match(s, /^HTTP (200|4\d\d)$/, 'no 5xx, no failed request');
  } finally {
    await c.stop();
  }
});
