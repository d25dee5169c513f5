// The forward path over real sockets, for tests: scripted resolvers on 127.0.0.1
// (scripted-upstream.ts), a UdpUpstream or TcpUpstream to each, an UpstreamPool over them and a
// CachingForwarder in front, whose clock is a variable the test sets (`clock.ms`): the cache's
// time moves only when the test says so. Sockets and timers stay real.
import { setImmediate as turn } from 'node:timers/promises';
import type { Sections } from '../../functions/core/sections.ts';
import { CachingForwarder } from '../../functions/forward/caching-forwarder.ts';
import { ForwardCache } from '../../functions/forward/forward-cache.ts';
import type { ForwardCacheOptions } from '../../functions/forward/cache-options.ts';
import { UpstreamPool, type PoolOptions } from '../../functions/forward/upstream-pool.ts';
import { TcpUpstream } from '../../functions/forward/upstream-tcp.ts';
import { UdpUpstream } from '../../functions/forward/upstream-udp.ts';
import type { Upstream } from '../../functions/forward/upstream.ts';
import { startScriptedUpstream, type ScriptedUpstream } from './scripted-upstream.ts';

export interface LiveOptions {
  /** Scripted resolvers, one upstream each (default 1). */
  servers?: number;
  transport?: 'udp' | 'tcp';
  /** The upstreams' read timeout (default 2000 ms): what a dropped query costs. */
  timeoutMs?: number;
  pool?: Omit<Partial<PoolOptions>, 'upstreams' | 'log'>;
  cache?: ForwardCacheOptions;
}

export interface Live {
  servers: ScriptedUpstream[];
  upstreams: Upstream[];
  pool: UpstreamPool;
  forwarder: CachingForwarder;
  /** The cache's clock in ms (starts at 0); only the test moves it. */
  clock: { ms: number };
  /** Forwards `name type IN` (no CD, no DO). */
  ask(name: string, type?: string): Promise<Sections>;
  /** Resolves with the pool's first log line (past or future) that matches. */
  logged(pattern: RegExp): Promise<string>;
  /** Waits until every upstream request started so far has settled and the forwarder has taken it in. */
  settled(): Promise<void>;
}

/** The guard on `logged`: a line that never comes fails the test instead of hanging it. */
const GUARD_MS = 10_000;

export async function withLive(o: LiveOptions, run: (live: Live) => Promise<void>): Promise<void> {
  const servers = await Promise.all(
    Array.from({ length: o.servers ?? 1 }, () => startScriptedUpstream()),
  );
  const timeoutMs = o.timeoutMs ?? 2000;
  const upstreams = servers.map((s) =>
    o.transport === 'tcp'
      ? new TcpUpstream(s.address, { timeoutMs })
      : new UdpUpstream(s.address, { timeoutMs }),
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const log = (line: string): void => {
    lines.push(line);
    for (const w of waiters.filter((x) => x.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const pool = new UpstreamPool({ ...o.pool, upstreams, log });
  const pending = new Set<Promise<Sections>>();
  const clock = { ms: 0 };
  const forwarder = new CachingForwarder({
    cache: new ForwardCache(o.cache),
    now: () => clock.ms,
    handles: () => true,
    ask: (question, flags) => {
      const request = pool.ask(question, flags);
      pending.add(request);
      void request.finally(() => pending.delete(request));
      return request;
    },
  });
  const live: Live = {
    servers,
    upstreams,
    pool,
    forwarder,
    clock,
    ask: (name, type = 'A') =>
      forwarder.forward({ name, type, class: 'IN' }, { cd: false, do: false }),
    logged(pattern) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no pool log line matched ${pattern} within ${GUARD_MS} ms; lines: ${lines.join(' | ')}`,
              ),
            ),
          GUARD_MS,
        );
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      // The forwarder stores the outcome in the microtasks after the pool's answer; a macrotask
      // turn runs after all of them.
      await turn();
    },
  };
  try {
    await run(live);
  } finally {
    pool.close();
    // A test may have closed a server already (a dead upstream): closing it again is not an error here.
    await Promise.allSettled(servers.map((s) => s.close()));
  }
}

/** The addresses of the A records in an answer, sorted. */
export const addressesOf = (s: Sections): string[] =>
  s.answers.flatMap((r) => (r.type === 'A' ? [r.data] : [])).sort();

/** The TTLs of the answer section, in order. */
export const ttlsOf = (s: Sections): number[] =>
  s.answers.map((r) => ('ttl' in r ? (r.ttl ?? -1) : -1));
