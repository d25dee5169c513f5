// The container's shutdown, as CoreDNS's `health { lameduck DURATION }` does it: on SIGTERM or
// SIGINT it keeps answering for the lameduck duration while /ready says 503 (so Kubernetes takes
// the pod out of its Services first), then stops accepting, finishes what is in flight within a
// bound, and exits 0. A second signal exits at once. A signal during start-up closes what is open
// and exits 0 (docs/architecture.md §8.12).
import { formatDuration } from '../../common/config/duration.ts';

export type LifecycleState = 'starting' | 'serving' | 'lameduck' | 'draining' | 'stopped';

/** How long in-flight queries, TCP connections and HTTP requests may take after lameduck. */
export const DRAIN_TIMEOUT_MS = 5000;

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export interface LifecycleOptions {
  /** Read when the signal comes: a reload may have changed it. */
  lameduckMs: () => number;
  /** Stops accepting and finishes what is in flight (the listeners' drain), within `timeoutMs`. */
  drain: (timeoutMs: number) => Promise<unknown>;
  /** Closes everything else (live source, forwarders, probe servers). */
  close: () => Promise<unknown>;
  exit: (code: number) => void;
  log: (line: string) => void;
  drainTimeoutMs?: number;
  timers?: Timers;
}

const SIGNAL_NUMBER: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

export class Lifecycle {
  #state: LifecycleState = 'starting';
  readonly #o: LifecycleOptions;
  readonly #timers: Timers;
  readonly #drainTimeoutMs: number;

  constructor(o: LifecycleOptions) {
    this.#o = o;
    this.#timers = o.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
    };
    this.#drainTimeoutMs = o.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
  }

  get state(): LifecycleState {
    return this.#state;
  }

  /** Start-up is over: a signal from now on goes through lameduck and the drain. */
  serving(): void {
    if (this.#state === 'starting') this.#state = 'serving';
  }

  /** The readiness reason this adds: set from the first signal on (CoreDNS `ready` in lameduck). */
  notReady(): string | undefined {
    if (this.#state === 'starting' || this.#state === 'serving') return undefined;
    return this.#state === 'lameduck' ? 'lameduck' : 'shutting down';
  }

  /** SIGTERM or SIGINT. */
  signal(name: string): void {
    const state = this.#state;
    if (state === 'lameduck' || state === 'draining' || state === 'stopped') {
      this.#o.log(`${name} again: exiting now`);
      this.#state = 'stopped';
      return this.#o.exit(128 + (SIGNAL_NUMBER[name] ?? 15));
    }
    if (state === 'starting') {
      this.#state = 'draining';
      void this.#finish(async () => this.#o.close());
      return;
    }
    const lameduckMs = this.#o.lameduckMs();
    if (lameduckMs <= 0) return this.#drain();
    this.#state = 'lameduck';
    this.#o.log(
      `${name}: lameduck ${formatDuration(lameduckMs)} (still answering, /ready 503), then draining`,
    );
    this.#timers.setTimeout(() => this.#drain(), lameduckMs);
  }

  #drain(): void {
    if (this.#state === 'stopped') return;
    this.#state = 'draining';
    void this.#finish(async () => {
      // The drain stops accepting before it returns; only then is the line true for a reader.
      const drained = this.#o.drain(this.#drainTimeoutMs);
      this.#o.log(
        `draining: no new queries or connections; finishing those in flight (at most ${formatDuration(this.#drainTimeoutMs)})`,
      );
      await drained;
      await this.#o.close();
    });
  }

  /** Runs `work` with a deadline (one second past the drain bound), then exits 0. */
  async #finish(work: () => Promise<unknown>): Promise<void> {
    let timer: unknown;
    const deadline = new Promise<'late'>((resolve) => {
      timer = this.#timers.setTimeout(() => resolve('late'), this.#drainTimeoutMs + 1000);
    });
    const outcome = await Promise.race([
      work().then(
        () => 'done' as const,
        (error: unknown) => {
          this.#o.log(`shutdown: ${(error as Error).message ?? String(error)}`);
          return 'done' as const;
        },
      ),
      deadline,
    ]);
    this.#timers.clearTimeout(timer);
    if (this.#state === 'stopped') return; // a second signal already exited
    if (outcome === 'late')
      this.#o.log(
        `shutdown did not finish within ${formatDuration(this.#drainTimeoutMs + 1000)}; exiting`,
      );
    this.#state = 'stopped';
    this.#o.exit(0);
  }
}
