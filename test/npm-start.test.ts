// The local shape (docs/architecture.md §1), literally: `npm start` on a clone serves the sample
// cluster on 127.0.0.1:1053 over UDP and TCP and prints a ready line whose dig command answers the
// kubernetes service's ClusterIP. The ports are fixed, so when something already holds them
// (a developer's own `npm start`), the test skips and says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { REPO_ROOT, parseReadyLine } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf, type Addr } from './support/dns-client.ts';
import { requireTool, run } from './support/tools.ts';
import { toPresentation } from './support/presentation.ts';

const DNS: Addr = { host: '127.0.0.1', port: 1053 };
const DOH_PORT = 8053;

/** undefined when 127.0.0.1:port is free for TCP (and UDP when `udp`), else why not. */
async function busy(port: number, udp: boolean): Promise<string | undefined> {
  const tcp = createServer();
  try {
    tcp.listen(port, '127.0.0.1');
    await once(tcp, 'listening');
  } catch (error) {
    return `tcp 127.0.0.1:${port} is in use (${(error as Error).message})`;
  } finally {
    tcp.close();
  }
  if (!udp) return undefined;
  const sock = createSocket('udp4');
  try {
    sock.bind(port, '127.0.0.1');
    await once(sock, 'listening');
    return undefined;
  } catch (error) {
    return `udp 127.0.0.1:${port} is in use (${(error as Error).message})`;
  } finally {
    sock.close();
  }
}

let child: ChildProcess | undefined;
let readyLine = '';
let skip: string | undefined;

before(async () => {
  skip = (await busy(DNS.port, true)) ?? (await busy(DOH_PORT, false));
  if (skip) return;
  // detached: npm runs tsx under a shell; the whole process group is stopped in after().
  child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  readyLine = await new Promise<string>((resolve, reject) => {
    child!.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const line = out.split('\n').find((l) => l.startsWith('edge-dns ready:'));
      if (line) resolve(line);
    });
    child!.once('exit', (code) =>
      reject(
        new Error(
          `npm start exited (${code}) before its ready line\nstdout:\n${out}\nstderr:\n${err}`,
        ),
      ),
    );
  });
});

after(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
});

test('npm start prints a ready line for udp and tcp on 127.0.0.1:1053 with a dig command', (t) => {
  if (skip) return t.skip(skip);
  assert.deepEqual(parseReadyLine(readyLine), { udp: DNS, tcp: DNS });
  assert.match(
    readyLine,
    /\(try: dig @127\.0\.0\.1 -p 1053 kubernetes\.default\.svc\.cluster\.local\)/,
  );
});

test('npm start answers kubernetes.default.svc.cluster.local. A 10.96.0.1 over UDP and TCP', async (t) => {
  if (skip) return t.skip(skip);
  const udp = await queryUdp(DNS, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
  const [tcp] = await queryTcp(DNS, [makeQuery('kubernetes.default.svc.cluster.local', 'A')]);
  for (const reply of [udp, tcp]) {
    assert.ok(reply);
    assert.equal(rcodeOf(reply), 'NOERROR');
    assert.deepEqual(reply.answers?.map(toPresentation), [
      'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
    ]);
  }
});

test("the ready line's dig command, run as printed, answers 10.96.0.1", async (t) => {
  if (skip) return t.skip(skip);
  const noDig = requireTool('dig');
  if (noDig) return t.skip(noDig);
  const command = /\(try: (dig [^)]+)\)/.exec(readyLine)?.[1];
  assert.ok(command, `no dig command in: ${readyLine}`);
  const [cmd, ...args] = command.split(' ');
  assert.equal((await run(cmd!, [...args, '+short'])).trim(), '10.96.0.1');
});
