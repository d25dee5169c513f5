// The fuzz campaign (bench/fuzz.ts; a short run in test/fuzz-campaign.test.ts): generated inputs
// (fuzz-inputs.ts) to a running edge-dns over UDP, TCP, DoT and DoH, with a valid probe query after
// every batch on a socket of its own: an answer within the deadline proves the server alive, and
// (loopback keeps datagrams in order) paces the batches. Also slow and half-open TCP connections.
// Counts what came back: the rcode of each DNS reply, the status of each DoH response.
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import dnsPacket from 'dns-packet';
import { FrameReader, frame } from '../functions/dns53/tcp-framing.ts';
import { encodeBase64Url } from '../functions/doh/base64url.ts';
import { rcodeName } from '../functions/observe/message-labels.ts';
import { fuzzInputs } from './fuzz-inputs.ts';

export interface FuzzTarget {
  udp: { host: string; port: number };
  tcp: { host: string; port: number };
  /** DNS over TLS (RFC 7858), with the CA that signed its certificate; without it, its share goes to TCP. */
  dot?: { host: string; port: number; ca: Buffer };
  /** http://HOST:PORT/dns-query */
  doh: string;
  /** Whether the server process is still running. */
  alive(): boolean;
}

export type FuzzTransport = 'udp' | 'tcp' | 'dot' | 'doh';

export interface FuzzReport {
  sent: Record<FuzzTransport, number>;
  /** DNS replies by rcode name ("no reply" for what got none), per transport; DoH by status. */
  outcomes: Record<FuzzTransport, Record<string, number>>;
  /** Probes unanswered within the deadline (the server stalled), and whether it exited. */
  unanswered: number;
  exited: boolean;
  slowConnections: number;
}

const BATCH = 1000;
const PROBE_DEADLINE_MS = 3000;
const TCP_PER_CONNECTION = 125;
const DOH_PARALLEL = 64;
const rcodeOf = (m: Buffer) => (m.length < 4 ? 'short' : rcodeName(m[3]! & 0xf));
const count = (h: Record<string, number>, k: string, n = 1) => (h[k] = (h[k] ?? 0) + n);

const probeQuery = dnsPacket.encode({
  type: 'query',
  id: 0xfeed,
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ name: 'kubernetes.default.svc.cluster.local', type: 'A', class: 'IN' }],
});

/** Sends `total` inputs (half UDP, a quarter DoH, the rest TCP and DoT) from `seed`. */
export async function runFuzz(
  target: FuzzTarget,
  total: number,
  seed: number,
  /** Called once after the first `warmup` inputs (the caches and the JIT warm). */
  warmup?: { inputs: number; done: () => void },
): Promise<FuzzReport> {
  const report: FuzzReport = {
    sent: { udp: 0, tcp: 0, dot: 0, doh: 0 },
    outcomes: { udp: {}, tcp: {}, dot: {}, doh: {} },
    unanswered: 0,
    exited: false,
    slowConnections: 0,
  };
  const probe = await udpProbe(target.udp);
  const fuzz = createSocket('udp4');
  fuzz.on('message', (m) => count(report.outcomes.udp, rcodeOf(m)));
  await new Promise<void>((r) => fuzz.bind(0, '127.0.0.1', r));
  const inputs = fuzzInputs(total, seed);
  let batch: Buffer[] = [];
  let taken = 0;
  try {
    for (const input of inputs) {
      taken++;
      batch.push(input);
      if (batch.length < BATCH && taken < total) continue;
      const [udp, tcp, dot, doh] = split(batch, target.dot !== undefined);
      for (const m of udp) fuzz.send(m, target.udp.port, target.udp.host);
      report.sent.udp += udp.length;
      await Promise.all([
        streamBatch(() => connect(target.tcp.port, target.tcp.host), tcp, report, 'tcp'),
        target.dot && streamBatch(dotConnect(target.dot), dot, report, 'dot'),
        dohBatch(target, doh, report),
      ]);
      if (!(await probe.ask())) report.unanswered++;
      if (!target.alive()) {
        report.exited = true;
        break;
      }
      batch = [];
      if (warmup && taken >= warmup.inputs && taken - BATCH < warmup.inputs) warmup.done();
    }
    report.slowConnections = await slowConnections(target);
    if (!(await probe.ask())) report.unanswered++;
  } finally {
    fuzz.close();
    probe.close();
  }
  const udpReplies = Object.values(report.outcomes.udp).reduce((a, b) => a + b, 0);
  count(report.outcomes.udp, 'no reply', report.sent.udp - udpReplies);
  report.exited ||= !target.alive();
  return report;
}

/** Half to UDP, a quarter to DoH, the rest to TCP (an eighth to DoT when there is one). */
function split(batch: Buffer[], dot: boolean): [Buffer[], Buffer[], Buffer[], Buffer[]] {
  const out: [Buffer[], Buffer[], Buffer[], Buffer[]] = [[], [], [], []];
  const to = (i: number) => (i % 4 < 2 ? 0 : i % 4 === 3 ? 3 : dot && i % 8 === 6 ? 2 : 1);
  batch.forEach((m, i) => out[to(i)]!.push(m));
  return out;
}

function dotConnect(dot: NonNullable<FuzzTarget['dot']>): () => Socket {
  return () =>
    connectTls({
      host: dot.host,
      port: dot.port,
      ca: dot.ca,
      servername: 'localhost',
      ALPNProtocols: ['dot'],
    });
}

async function udpProbe(addr: { host: string; port: number }) {
  const socket = createSocket('udp4');
  let waiting: ((ok: boolean) => void) | undefined;
  socket.on('message', (m) => m.readUInt16BE(0) === 0xfeed && waiting?.(true));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    ask: () =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), PROBE_DEADLINE_MS);
        waiting = (ok) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(ok);
        };
        socket.send(probeQuery, addr.port, addr.host);
      }),
    close: () => socket.close(),
  };
}

/** Pipelines `inputs` on connections of TCP_PER_CONNECTION; counts replies until each closes. */
async function streamBatch(
  open: () => Socket,
  inputs: Buffer[],
  report: FuzzReport,
  proto: 'tcp' | 'dot',
): Promise<void> {
  const runs: Promise<void>[] = [];
  for (let at = 0; at < inputs.length; at += TCP_PER_CONNECTION) {
    const part = inputs.slice(at, at + TCP_PER_CONNECTION);
    report.sent[proto] += part.length;
    runs.push(
      withSocket(open, (socket, done) => {
        const reader = new FrameReader();
        let replies = 0;
        socket.on('data', (chunk) => {
          for (const m of reader.push(chunk)) {
            count(report.outcomes[proto], rcodeOf(m));
            replies++;
          }
        });
        socket.on('close', () => {
          count(report.outcomes[proto], 'no reply', part.length - replies);
          done();
        });
        socket.end(Buffer.concat(part.map((m) => frame(m))));
      }),
    );
  }
  await Promise.all(runs);
}

async function dohBatch(target: FuzzTarget, inputs: Buffer[], report: FuzzReport): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const m = inputs[next++]!;
      const get = m.length % 2 === 0;
      const request = get
        ? fetch(`${target.doh}?dns=${encodeBase64Url(m)}`, { signal: AbortSignal.timeout(5000) })
        : fetch(target.doh, {
            method: 'POST',
            headers: { 'content-type': 'application/dns-message' },
            body: new Uint8Array(m),
            signal: AbortSignal.timeout(5000),
          });
      report.sent.doh++;
      try {
        const response = await request;
        await response.arrayBuffer();
        count(report.outcomes.doh, `HTTP ${response.status}`);
      } catch (e) {
        count(report.outcomes.doh, `failed: ${(e as Error).name}`);
      }
    }
  };
  await Promise.all(Array.from({ length: DOH_PARALLEL }, worker));
}

/**
 * Slow and half-open TCP: a query dribbled a byte at a time, a length prefix and nothing after,
 * half a prefix, and a connection that sends nothing. Each must end (answered or closed by the
 * server's idle timeout) or be ended by us at the deadline; returns how many were opened.
 */
async function slowConnections(target: FuzzTarget): Promise<number> {
  const framed = frame(probeQuery);
  const shapes: ((s: Socket) => void)[] = [
    (s) => {
      let at = 0;
      const timer = setInterval(() => {
        if (at >= framed.length || s.destroyed) return clearInterval(timer);
        s.write(framed.subarray(at, ++at));
      }, 5);
      s.once('close', () => clearInterval(timer));
    },
    (s) => s.write(framed.subarray(0, 2)),
    (s) => s.write(framed.subarray(0, 1)),
    (s) => s.write(framed.subarray(0, 2), () => s.end()),
    () => {},
  ];
  const runs = Array.from({ length: 40 }, (_, i) =>
    withSocket(
      () => connect(target.tcp.port, target.tcp.host),
      (socket, done) => {
        socket.on('data', () => {});
        socket.on('close', done);
        shapes[i % shapes.length]!(socket);
        setTimeout(() => socket.destroy(), 1500).unref();
      },
    ),
  );
  await Promise.all(runs);
  return runs.length;
}

function withSocket(
  open: () => Socket,
  use: (socket: Socket, done: () => void) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const socket = open();
    socket.on('error', () => {});
    socket.setTimeout(10_000, () => socket.destroy());
    use(socket, resolve);
  });
}
