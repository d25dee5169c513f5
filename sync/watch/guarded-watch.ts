// The watch stream under client-node's ListWatch (Kubernetes API concepts, "Efficient detection of
// changes"), in place of client-node 1.4's Watch, which (read in its dist/watch.js) cannot be
// aborted before the response headers arrive, has no idle timeout (its 30 s timeout signal is
// overwritten), hides BOOKMARK events and reports its own stop() as an AbortError. This one:
// - asks for bookmarks (`allowWatchBookmarks=true`) and a server-side `timeoutSeconds` below the
//   idle guard, so a quiet but healthy stream ends cleanly and is resumed from its resourceVersion;
// - guards against a silently dead stream: no line (event or bookmark) for `idleTimeoutMs` ends it
//   and ListWatch re-watches from the last resourceVersion;
// - backs off before re-opening after a stream that ended cleanly with no line at all (a server
//   closing every watch at once would otherwise be hammered in a tight loop);
// - passes every event through `transform` (narrowing) before ListWatch sees it;
// - never calls `done` after its controller was aborted by ListWatch, nor after `shutdown()`.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { Backoff, type BackoffMs } from '../retry/backoff.ts';
import { KubeApiError, kubeGet, statusError } from './kube-request.ts';

export interface WatchEvent {
  type: string;
  object: unknown;
}

export interface GuardedWatchOptions {
  /** Prefix of log lines and errors, e.g. `watch Service`. */
  label: string;
  idleTimeoutMs: number;
  backoffMs: BackoffMs;
  log: (line: string) => void;
  /** Maps one event before ListWatch sees it; undefined drops it. */
  transform: (event: WatchEvent) => WatchEvent | undefined;
  /** The stream answered 200 / the stream is over. */
  connected: () => void;
  closed: () => void;
}

type Callback = (phase: string, apiObj: any, watchObj?: any) => void;

export class GuardedWatch extends Watch {
  #shut = false;
  #current?: AbortController;
  readonly #quiet: Backoff;
  #lastWasEmpty = false;
  readonly #options: GuardedWatchOptions;

  constructor(kubeConfig: KubeConfig, options: GuardedWatchOptions) {
    super(kubeConfig);
    this.#options = options;
    this.#quiet = new Backoff(options.backoffMs);
  }

  /** Called by ListWatch; returns at once with the controller ListWatch aborts on stop. */
  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: Callback,
    done: (err: any) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    if (this.#shut) return controller; // stopped while a list was in flight: open nothing
    this.#current = controller;
    void this.#stream(path, queryParams, callback, done, controller.signal);
    return controller;
  }

  /** Ends the open stream without reporting it, and refuses new ones. */
  shutdown(): void {
    this.#shut = true;
    this.#current?.abort();
  }

  async #stream(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    callback: Callback,
    done: (err: any) => void,
    stopped: AbortSignal,
  ): Promise<void> {
    const { label, idleTimeoutMs, log } = this.#options;
    const http = new AbortController();
    let finished = false;
    let lines = 0;
    let idle: NodeJS.Timeout | undefined;
    const end = (error: unknown, report: boolean, timedOut = false) => {
      if (finished) return;
      finished = true;
      clearTimeout(idle);
      http.abort();
      this.#lastWasEmpty = error === null && lines === 0 && !timedOut;
      this.#options.closed();
      if (report && !stopped.aborted && !this.#shut) done(error);
    };
    stopped.addEventListener('abort', () => end(undefined, false), { once: true });
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        log(`${label}: no event or bookmark for ${idleTimeoutMs} ms; restarting the watch`);
        end(null, true, true);
      }, idleTimeoutMs);
    };

    if (this.#lastWasEmpty)
      await sleep(this.#quiet.next(), undefined, { signal: stopped }).catch(() => undefined);
    if (finished || stopped.aborted) return;
    armIdle();
    const query: Record<string, string> = { allowWatchBookmarks: 'true' };
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) query[key] = String(value);
    const serverTimeout = Math.floor((idleTimeoutMs * 0.8) / 1000);
    if (serverTimeout >= 1) query.timeoutSeconds = String(serverTimeout);
    try {
      const response = await kubeGet(this.config, path, { ...query, watch: 'true' }, http.signal);
      if (finished) return;
      if (response.statusCode !== 200) return end(await statusError(label, response), true);
      this.#options.connected();
      const reader = createInterface({ input: response, crlfDelay: Infinity });
      reader.on('line', (line) => {
        if (finished) return;
        lines += 1;
        this.#quiet.reset();
        armIdle();
        this.#deliver(line, callback);
      });
      response.on('error', (error) => end(error, true));
      // readline re-emits the response's errors (a reset connection): without a listener they crash.
      reader.on('error', (error) => end(error, true));
      // `complete` is false when the connection closed before the chunked body's end.
      response.once('close', () =>
        end(
          response.complete ? null : new KubeApiError(`${label}: connection closed mid-stream`),
          true,
        ),
      );
    } catch (error) {
      end(error, true);
    }
  }

  #deliver(line: string, callback: Callback): void {
    let data: { type?: unknown; object?: unknown };
    try {
      data = JSON.parse(line) as typeof data;
    } catch {
      this.#options.log(
        `${this.#options.label}: ignored a line that is not JSON: ${line.slice(0, 80)}`,
      );
      return;
    }
    if (typeof data.type !== 'string' || typeof data.object !== 'object' || data.object === null) {
      this.#options.log(`${this.#options.label}: ignored an event without type or object`);
      return;
    }
    const event = this.#options.transform({ type: data.type, object: data.object });
    if (!event) return;
    // Delivered synchronously, so a 410 ERROR event resets ListWatch's resourceVersion before the
    // stream's end is reported. ListWatch's handler is async: a throw inside it becomes a log line.
    const failed = (error: unknown) =>
      this.#options.log(`${this.#options.label}: event handler failed: ${String(error)}`);
    try {
      const result: unknown = callback(event.type, event.object, data);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
