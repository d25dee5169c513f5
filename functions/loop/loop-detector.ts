// CoreDNS's `loop` plugin for one server block: a probe `HINFO <random>.<random>.<zone>` is sent
// to this server at start; the block's chain counts the probe's arrivals, and seeing it more than
// twice means the forwarders send our own queries back to us: a loop. CoreDNS then stops the
// process (log.Fatalf). edge-dns also knows a loop at once when the probe comes back carrying our
// forwarders' own mark (core/forwarder.ts LOOP_MARK_OPTION), which the resolver answers SERVFAIL
// before any chain sees it. Once the probe has an answer and no loop, the detector stands down,
// as CoreDNS's does.
import type { Plugin } from '../core/plugin.ts';

/** More arrivals than this is a loop (CoreDNS: `seen() > 2`). */
export const LOOP_SEEN_MAX = 2;

export interface LoopFound {
  zone: string;
  /** The probe's name (canonical, no trailing dot). */
  name: string;
  /** Who sent the last arrival, as `host:port`, when the transport knows it. */
  remote: string | undefined;
  how: 'seen' | 'marked';
}

export class LoopDetector {
  readonly zone: string;
  readonly name: string;
  readonly #onLoop: (loop: LoopFound) => void;
  #seen = 0;
  #done = false;

  /** `random`: [0, 1), two draws for the two random labels. `onLoop`: called once, on a loop. */
  constructor(zone: string, random: () => number, onLoop: (loop: LoopFound) => void) {
    const label = () => String(Math.floor(random() * Number.MAX_SAFE_INTEGER));
    this.zone = zone;
    this.name = [label(), label(), zone].filter(Boolean).join('.');
    this.#onLoop = onLoop;
  }

  /** Whether it has stood down or found a loop: the probe need not be sent again. */
  get done(): boolean {
    return this.#done;
  }

  get seen(): number {
    return this.#seen;
  }

  /** The probe had an answer and no loop was found: later arrivals are not counted. */
  standDown(): void {
    this.#done = true;
  }

  /** Counts the probe's arrivals in the block's chain, then passes every query on. */
  plugin(): Plugin {
    return (q, next) => {
      if (!this.#done && q.type === 'HINFO' && q.name.toLowerCase() === this.name) {
        this.#seen++;
        const remote = q.remote && `${q.remote.address}:${q.remote.port}`;
        if (this.#seen > LOOP_SEEN_MAX) this.#found(remote, 'seen');
      }
      return next(q);
    };
  }

  /** The resolver found one of our forwarded queries coming back (its mark): ours is proof. */
  marked(name: string, type: string): void {
    if (!this.#done && type === 'HINFO' && name === this.name) this.#found(undefined, 'marked');
  }

  #found(remote: string | undefined, how: LoopFound['how']): void {
    if (this.#done) return;
    this.#done = true;
    this.#onLoop({ zone: this.zone, name: this.name, remote, how });
  }
}

/** CoreDNS's fatal line, so the same alerts and runbooks match. */
export function loopMessage(loop: LoopFound, local: string): string {
  return (
    `plugin/loop: Loop (${loop.remote ?? 'this server'} -> ${local}) detected for zone "${loop.zone || '.'}", ` +
    `see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO ${loop.name}."`
  );
}
