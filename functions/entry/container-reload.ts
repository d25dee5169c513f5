// Live reload of the config file, as CoreDNS's `reload` plugin does it: the file's hash is compared
// every interval (30 s by default, each check moved by up to the jitter either way) and a changed file is applied; SIGHUP and SIGUSR1 apply it at
// once. A file is tried once per content: a bad one is reported (and counted) once, and the running
// configuration stays until a good one comes. Reloads run one at a time; requests that come during
// one are folded into a single reload after it (docs/architecture.md §8.12).
import { createHash } from 'node:crypto';
import type { Timers } from './container-lifecycle.ts';

export interface ReloaderOptions {
  /** The `--config` file. */
  path: string;
  read: (path: string) => Promise<string>;
  /**
   * Validates the whole configuration from this text (flags laid over it), builds what it needs
   * and swaps it in; resolves with a summary of what changed, or throws leaving everything as it
   * was. `signalled`: a signal asked for it (not a changed hash).
   */
  apply: (text: string, signalled: boolean) => Promise<string>;
  /** Milliseconds between hash checks; 0: only signals reload. */
  intervalMs: number;
  /** Each check comes up to this many ms earlier or later (CoreDNS `reload` JITTER); default 0. */
  jitterMs?: number;
  /** [0, 1), for the jitter; default Math.random. */
  random?: () => number;
  /** Whether reloads may run (false once shutting down). */
  active: () => boolean;
  /** A reload that failed: reported with the file and why (CoreDNS counts it). */
  failed: (message: string) => void;
  /** A reload that succeeded. */
  reloaded: (summary: string) => void;
  /**
   * Other files whose change reloads too (TLS certificates: a rotation is picked up within the
   * interval), as their text; compared with the file's, never applied.
   */
  watched?: () => Promise<string>;
  timers?: Timers;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

export class Reloader {
  readonly #o: ReloaderOptions;
  readonly #timers: Timers;
  #intervalMs: number;
  #jitterMs: number;
  #timer: unknown;
  /** Hash of the last content tried, applied or not: the poll tries a content once. */
  #tried: string;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #next: { why: string; onlyIfChanged: boolean } | undefined;
  #stopped = false;

  /** `text`: the file as the running configuration was read from it; `watched`: those files. */
  constructor(o: ReloaderOptions, text: string, watched = '') {
    this.#o = o;
    this.#timers = o.timers ?? {
      setTimeout: (run, ms) => setTimeout(run, ms).unref(),
      clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
    };
    this.#intervalMs = o.intervalMs;
    this.#jitterMs = o.jitterMs ?? 0;
    this.#tried = hashOf(text + watched);
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
  }

  /** A new interval and jitter (the reloaded file's `reload`), counted from now. */
  setInterval(ms: number, jitterMs = 0): void {
    if (ms === this.#intervalMs && jitterMs === this.#jitterMs) return;
    this.#intervalMs = ms;
    this.#jitterMs = jitterMs;
    this.#schedule();
  }

  /** Reloads whatever the file holds (SIGHUP, SIGUSR1); resolves when that reload is over. */
  request(why: string): Promise<void> {
    return this.#run(why, false);
  }

  /** One hash check (what the interval runs); resolves when a reload it started is over. */
  check(): Promise<void> {
    return this.#run('file changed', true);
  }

  #schedule(): void {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.#intervalMs <= 0) return;
    // INTERVAL +- up to JITTER, drawn anew for every check.
    const random = this.#o.random ?? Math.random;
    const shift = this.#jitterMs > 0 ? Math.round((random() * 2 - 1) * this.#jitterMs) : 0;
    this.#timer = this.#timers.setTimeout(
      () => void this.check().finally(() => this.#schedule()),
      this.#intervalMs + shift,
    );
  }

  #run(why: string, onlyIfChanged: boolean): Promise<void> {
    if (!this.#running) {
      this.#running = this.#reload(why, onlyIfChanged).finally(() => (this.#running = undefined));
      return this.#running;
    }
    // One reload after the current one covers every request made during it; a signal among them
    // makes it unconditional.
    if (!onlyIfChanged || !this.#queued) this.#next = { why, onlyIfChanged };
    this.#queued ??= this.#running.then(() => {
      const next = this.#next!;
      this.#queued = undefined;
      return this.#run(next.why, next.onlyIfChanged);
    });
    return this.#queued;
  }

  async #reload(why: string, onlyIfChanged: boolean): Promise<void> {
    if (this.#stopped || !this.#o.active()) return;
    const path = this.#o.path;
    let text: string;
    let watched = '';
    try {
      text = await this.#o.read(path);
      watched = (await this.#o.watched?.()) ?? '';
    } catch (error) {
      const message = `${path}: cannot read config file: ${(error as Error).message}`;
      const tried = hashOf(`unreadable ${message}`);
      if (onlyIfChanged && tried === this.#tried) return;
      this.#tried = tried;
      return this.#o.failed(message);
    }
    const hash = hashOf(text + watched);
    if (onlyIfChanged && hash === this.#tried) return;
    this.#tried = hash;
    let summary: string;
    try {
      summary = await this.#o.apply(text, !onlyIfChanged);
    } catch (error) {
      return this.#o.failed((error as Error).message);
    }
    if (this.#o.active()) this.#o.reloaded(`${path} (${why}): ${summary}`);
  }
}

/** The configuration file of a command line (`--config FILE`, `--corefile FILE`, or with `=`),
 *  and which flag named it. */
export function configPathOf(
  argv: readonly string[],
): { path: string; flag: 'config' | 'corefile' } | undefined {
  let found: { path: string; flag: 'config' | 'corefile' } | undefined;
  argv.forEach((arg, i) => {
    for (const flag of ['config', 'corefile'] as const) {
      if (arg === `--${flag}` && argv[i + 1] !== undefined) found = { path: argv[i + 1]!, flag };
      else if (arg.startsWith(`--${flag}=`)) found = { path: arg.slice(flag.length + 3), flag };
    }
  });
  return found;
}
