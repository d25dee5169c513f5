// Several upstreams behind one `ask`, as CoreDNS's `forward` plugin runs them: a policy orders
// them, a transport failure moves on to the next, consecutive failures mark one down until a
// health probe (`. IN NS`) answers, `max_concurrent` bounds the queries in flight, and a query of
// ours that comes back to us is a forwarding loop. Every outcome is sections, never a throw.
import * as dnsPacket from 'dns-packet';
import { emptySections, type Sections } from '../core/sections.ts';
import { encodeQuery, toSections } from './forward-query.ts';
import type { ForwardFlags, ForwardQuestion } from '../core/forwarder.ts';
import { randomId, type Upstream } from './upstream.ts';

export type Policy = 'random' | 'round_robin' | 'sequential';

export interface PoolOptions {
  upstreams: readonly Upstream[];
  /** CoreDNS `policy`, default random. */
  policy?: Policy;
  /** CoreDNS `max_concurrent`: queries in flight past this get REFUSED (default 1,000). */
  maxConcurrent?: number;
  /** CoreDNS `max_fails`: consecutive failures that mark an upstream down (default 2; 0 = never). */
  maxFails?: number;
  /** CoreDNS `health_check`: how often a down upstream is probed (default 500 ms). */
  healthCheckMs?: number;
  /**
   * 'timer' (default): a down upstream is probed in the background with `. IN NS`, as CoreDNS does.
   * 'inline': no timers (Lambda and Workers freeze or drop them between requests); the first query
   * that comes `healthCheckMs` after a down upstream's last failure asks it first, as its probe.
   */
  probe?: 'timer' | 'inline';
  /** Milliseconds, for 'inline' probing. */
  now?: () => number;
  /** How long one query may try upstreams in all (CoreDNS forward: 5 s); then SERVFAIL. */
  deadlineMs?: number;
  /** Query IDs (RFC 5452 §9.2: unpredictable; default the platform's CSPRNG). */
  randomId?: () => number;
  random?: () => number;
  log?: (line: string) => void;
  /**
   * Told of every reply an upstream sent (not of failures): its name, the reply's rcode (RFC 1035
   * §4.1.1) and how long the exchange took in milliseconds, for metrics (CoreDNS
   * `coredns_proxy_request_duration_seconds`). Keep it cheap: it runs on the forwarding path.
   */
  onReply?: (upstream: string, rcode: number, durationMs: number) => void;
  /**
   * Told when a question gets no upstream's answer: the rcode the pool returns and why (the last
   * upstream's error, the deadline, the concurrency limit), for the errors plugin (CoreDNS
   * `errors` logs the error `forward` returns).
   */
  onFailure?: (question: ForwardQuestion, rcode: 'SERVFAIL' | 'REFUSED', error: string) => void;
}

export interface PoolStats {
  /** Queries answered by each upstream, by name. */
  answered: Record<string, number>;
  failures: Record<string, number>;
  refusedOverLimit: number;
  loops: number;
  probes: number;
  /** Health probes ('timer' probing) that failed, by upstream (CoreDNS healthcheck failures). */
  probeFailures: Record<string, number>;
}

interface Member {
  upstream: Upstream;
  fails: number;
  /** When it last failed ('inline' probing). */
  failedAt: number;
  probe?: ReturnType<typeof setTimeout>;
}

export class UpstreamPool {
  readonly stats: PoolStats = {
    answered: {},
    failures: {},
    refusedOverLimit: 0,
    loops: 0,
    probes: 0,
    probeFailures: {},
  };
  readonly #members: Member[];
  readonly #policy: Policy;
  readonly #maxConcurrent: number;
  readonly #maxFails: number;
  readonly #healthCheckMs: number;
  readonly #inline: boolean;
  readonly #deadlineMs: number;
  readonly #now: () => number;
  readonly #randomId: () => number;
  readonly #random: () => number;
  readonly #log: (line: string) => void;
  readonly #onReply: PoolOptions['onReply'];
  readonly #onFailure: PoolOptions['onFailure'];
  /** `id name type` of the queries we have sent and not yet had answered (loop detection). */
  readonly #sent = new Map<string, number>();
  /** The loop mark our queries carry (core/forwarder.ts LOOP_MARK_OPTION): random, per pool. */
  readonly mark = crypto.getRandomValues(new Uint8Array(8));
  #inFlight = 0;
  #next = 0;
  #closed = false;

  constructor(o: PoolOptions) {
    if (o.upstreams.length === 0) throw new Error('a forward pool needs at least one upstream');
    this.#members = o.upstreams.map((upstream) => ({ upstream, fails: 0, failedAt: 0 }));
    this.#policy = o.policy ?? 'random';
    this.#maxConcurrent = o.maxConcurrent ?? 1000;
    this.#maxFails = o.maxFails ?? 2;
    this.#healthCheckMs = o.healthCheckMs ?? 500;
    this.#inline = o.probe === 'inline';
    this.#deadlineMs = o.deadlineMs ?? 5000;
    this.#now = o.now ?? Date.now;
    this.#random = o.random ?? Math.random;
    this.#randomId = o.randomId ?? randomId;
    this.#log = o.log ?? ((line) => console.error(`edge-dns forward: ${line}`));
    this.#onReply = o.onReply;
    this.#onFailure = o.onFailure;
    for (const m of this.#members)
      this.stats.answered[m.upstream.name] =
        this.stats.failures[m.upstream.name] =
        this.stats.probeFailures[m.upstream.name] =
          0;
  }

  /** Whether an upstream is up (not marked down by failures). */
  isUp(name: string): boolean {
    const m = this.#members.find((x) => x.upstream.name === name);
    return m !== undefined && !this.#down(m);
  }

  /**
   * True when a query with this ID and question is one we sent and are waiting for: it came back
   * to us, a forwarding loop (the transport answers it SERVFAIL instead of forwarding it again).
   */
  isOwnQuery(id: number, question: ForwardQuestion, mark: Uint8Array | undefined): boolean {
    const looped =
      mark !== undefined && sameBytes(mark, this.mark) && this.#sent.has(sentKey(id, question));
    if (looped) {
      this.stats.loops++;
      this.#log(
        `forwarding loop: our query for ${question.name} ${question.type} came back to us; answering SERVFAIL (check the upstreams: one forwards to this server)`,
      );
    }
    return looped;
  }

  async ask(question: ForwardQuestion, flags: ForwardFlags): Promise<Sections> {
    if (this.#inFlight >= this.#maxConcurrent) {
      this.stats.refusedOverLimit++;
      this.#onFailure?.(
        question,
        'REFUSED',
        `concurrent queries exceeded maximum ${this.#maxConcurrent}`,
      );
      return emptySections('REFUSED');
    }
    this.#inFlight++;
    // CoreDNS forward: upstreams are tried until one answers or 5 s have passed.
    const deadline = AbortSignal.timeout(this.#deadlineMs);
    let last: unknown;
    try {
      for (const m of this.#order()) {
        if (deadline.aborted) break;
        const id = this.#randomId() & 0xffff;
        const key = sentKey(id, question);
        this.#sent.set(key, (this.#sent.get(key) ?? 0) + 1);
        try {
          const start = this.#onReply && performance.now();
          const reply = await m.upstream.exchange(
            encodeQuery(id, question, flags, this.mark),
            deadline,
          );
          if (start !== undefined)
            this.#onReply!(m.upstream.name, reply[3]! & 0xf, performance.now() - start);
          m.fails = 0;
          this.stats.answered[m.upstream.name]!++;
          return toSections(dnsPacket.decode(Buffer.from(reply)));
        } catch (error) {
          last = error;
          // Cut short by the deadline: not the upstream's failure.
          if (!deadline.aborted) this.#failed(m, error);
        } finally {
          const left = this.#sent.get(key)! - 1;
          if (left === 0) this.#sent.delete(key);
          else this.#sent.set(key, left);
        }
      }
      this.#onFailure?.(
        question,
        'SERVFAIL',
        deadline.aborted
          ? `no upstream answered within ${this.#deadlineMs} ms`
          : last instanceof Error
            ? last.message
            : String(last),
      );
      return emptySections('SERVFAIL');
    } finally {
      this.#inFlight--;
    }
  }

  close(): void {
    this.#closed = true;
    for (const m of this.#members) {
      clearTimeout(m.probe);
      m.upstream.close?.();
    }
  }

  #down(m: Member): boolean {
    return this.#maxFails > 0 && m.fails >= this.#maxFails;
  }

  /** The policy's order over the upstreams that are up; all of them when none is (CoreDNS does the same). */
  #order(): Member[] {
    const up = this.#members.filter((m) => !this.#down(m));
    // 'inline': one query is the probe of a down upstream whose retry time has come: it asks that
    // upstream first (and, if it fails, the others); the retry clock restarts so that only it does.
    const due =
      this.#inline && up.length > 0
        ? this.#members.find(
            (m) => this.#down(m) && this.#now() - m.failedAt >= this.#healthCheckMs,
          )
        : undefined;
    if (due) {
      due.failedAt = this.#now();
      this.stats.probes++;
      return [due, ...this.#ordered(up)];
    }
    return this.#ordered(up.length > 0 ? up : [...this.#members]);
  }

  #ordered(list: Member[]): Member[] {
    if (this.#policy === 'sequential') return list;
    if (this.#policy === 'round_robin') {
      const start = this.#next++ % list.length;
      return [...list.slice(start), ...list.slice(0, start)];
    }
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  }

  #failed(m: Member, error: unknown): void {
    this.stats.failures[m.upstream.name]!++;
    m.fails++;
    m.failedAt = this.#now();
    if (m.fails === this.#maxFails && this.#inline)
      this.#log(
        `${m.upstream.name} is down after ${m.fails} failures (last: ${error instanceof Error ? error.message : String(error)}); retried by a query every ${this.#healthCheckMs} ms`,
      );
    else if (m.fails === this.#maxFails) {
      this.#log(
        `${m.upstream.name} is down after ${m.fails} failures (last: ${error instanceof Error ? error.message : String(error)}); probing it every ${this.#healthCheckMs} ms`,
      );
      this.#scheduleProbe(m);
    }
  }

  /** CoreDNS's health check: `. IN NS`; any well-formed reply brings the upstream back. */
  #scheduleProbe(m: Member): void {
    if (this.#closed || m.probe !== undefined) return; // one probe chain per upstream
    m.probe = setTimeout(async () => {
      m.probe = undefined;
      // Up again already (it answered a query while every upstream was down): stop probing.
      if (!this.#down(m)) return;
      this.stats.probes++;
      try {
        const id = this.#randomId() & 0xffff;
        const reply = await m.upstream.exchange(
          encodeQuery(
            id,
            { name: '.', type: 'NS', class: 'IN' },
            { cd: false, do: false },
            this.mark,
          ),
        );
        dnsPacket.decode(Buffer.from(reply));
        m.fails = 0;
        this.#log(`${m.upstream.name} is up again (health probe answered)`);
      } catch {
        this.stats.probeFailures[m.upstream.name]!++;
        this.#scheduleProbe(m);
      }
    }, this.#healthCheckMs);
    m.probe.unref?.();
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const sentKey = (id: number, q: ForwardQuestion) => `${id} ${q.name.toLowerCase()} ${q.type}`;
