import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as dnsPacket from 'dns-packet';
import { validateConfig } from './container-config.ts';
import { ContainerLogs } from './container-logs.ts';

class Captured extends EventEmitter {
  text = '';
  write(chunk: Uint8Array, done?: () => void): boolean {
    this.text += Buffer.from(chunk).toString();
    queueMicrotask(() => done?.());
    return true;
  }
}

const config = (extra: object) => validateConfig({ snapshots: ['x.json'], ...extra }, 'test');
const query = dnsPacket.encode({
  type: 'query',
  id: 9,
  questions: [{ name: 'a.example', type: 'A', class: 'IN' }],
});
const reply = dnsPacket.encode({
  type: 'response',
  id: 9,
  flags: 5,
  questions: [{ name: 'a.example', type: 'A', class: 'IN' }],
});
const observed = {
  query,
  reply,
  proto: 'udp' as const,
  client: { address: '127.0.0.1', port: 5300, family: 'IPv4' },
  durationMs: 1,
  cached: false,
};

test('no log or errors block: no observer, and a failed query prints nothing', async () => {
  const streams = { stdout: new Captured(), stderr: new Captured() };
  const logs = new ContainerLogs(config({}), streams);
  assert.equal(logs.observer, undefined);
  logs.queryFailed(2, { name: 'A.Example.', type: 'A' }, 'boom');
  await logs.close();
  assert.equal(streams.stderr.text, '');
});

test('errors on: sourced failures and failed queries as CoreDNS errors lines on stderr', async () => {
  const streams = { stdout: new Captured(), stderr: new Captured() };
  const logs = new ContainerLogs(config({ errors: {} }), streams);
  logs.warn('udp://127.0.0.1:53 is down after 2 failures', 'forward');
  logs.queryFailed(2, { name: 'A.Example.', type: 'A' }, 'udp://127.0.0.1:53: timeout');
  await logs.close();
  assert.equal(
    streams.stderr.text,
    '[ERROR] plugin/forward: udp://127.0.0.1:53 is down after 2 failures\n' +
      '[ERROR] plugin/errors: 2 a.example. A: udp://127.0.0.1:53: timeout\n',
  );
});

test('the query log writes stdout; a reload changes its format; close writes what is held', async () => {
  const streams = { stdout: new Captured(), stderr: new Captured() };
  const logs = new ContainerLogs(config({ log: {} }), streams);
  const observer = logs.observer!;
  observer.observe(observed);
  logs.reconfigure(config({ log: { format: '{name} {rcode}' } }));
  observer.observe(observed);
  await logs.close();
  assert.deepEqual(streams.stdout.text.split('\n'), [
    '[INFO] 127.0.0.1:5300 - 9 "A IN a.example. udp 27 false 512" REFUSED qr 27 0.001s',
    '[INFO] a.example. REFUSED',
    '',
  ]);
  logs.reconfigure(config({ log: { enabled: false } }));
  observer.observe(observed);
  await logs.close();
  assert.equal(streams.stdout.text.split('\n').length, 3, 'off after a reload: nothing more');
});
