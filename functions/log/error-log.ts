// CoreDNS's `errors` plugin: one line per failure, `[ERROR] plugin/errors: RCODE NAME TYPE: ERROR`
// for a failure while answering a query, `[ERROR] plugin/PLUGIN: MESSAGE` for one outside a
// query (a transport, an upstream marked down, the Kubernetes watch). With `consolidate` rules,
// failures whose text matches a rule's pattern are counted instead, and each interval that saw
// some ends with `N errors like 'PATTERN' occurred in last INTERVAL` (at the rule's level).
import { goDuration } from './go-duration.ts';
import type { LineSink } from './query-log.ts';

export type ErrorLevel = 'error' | 'warning' | 'info' | 'debug';

export interface ConsolidateRule {
  intervalMs: number;
  pattern: RegExp;
  /** The level of the consolidated line (CoreDNS: error unless given). */
  level: ErrorLevel;
  /** The first failure of each interval is printed too (CoreDNS `show_first`). */
  showFirst: boolean;
}

/** The question a failure happened on: a canonical name ('' for the root) and a type name. */
export interface FailedQuestion {
  name: string;
  type: string;
}

export interface ErrorLogOptions {
  consolidate: readonly ConsolidateRule[];
  out: LineSink;
  /** Timers (tests pass their own). */
  setTimeout?: (run: () => void, ms: number) => { unref?(): unknown };
  clearTimeout?: (timer: unknown) => void;
}

interface Counter {
  rule: ConsolidateRule;
  count: number;
  timer?: unknown;
}

export class ErrorLog {
  readonly #counters: Counter[];
  readonly #out: LineSink;
  readonly #setTimeout: NonNullable<ErrorLogOptions['setTimeout']>;
  readonly #clearTimeout: NonNullable<ErrorLogOptions['clearTimeout']>;

  constructor(o: ErrorLogOptions) {
    this.#counters = o.consolidate.map((rule) => ({ rule, count: 0 }));
    this.#out = o.out;
    this.#setTimeout = o.setTimeout ?? setTimeout;
    this.#clearTimeout = o.clearTimeout ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  /** A query answered `rcode` because `error` happened (an upstream timed out, the store failed). */
  query(rcode: number, question: FailedQuestion, error: string): void {
    if (this.#consolidated(error)) return;
    this.#out.write(
      `[ERROR] plugin/errors: ${rcode} ${question.name ? `${question.name}.` : '.'} ${question.type}: ${error}`,
    );
  }

  /** A failure outside a query, reported by `plugin` (forward, kubernetes, dns53, ...). */
  report(plugin: string, message: string): void {
    if (this.#consolidated(message)) return;
    this.#out.write(`[ERROR] plugin/${plugin}: ${message}`);
  }

  /** Stops the interval timers, printing the counts they held (as CoreDNS does on shutdown). */
  close(): void {
    for (const c of this.#counters) {
      if (c.timer !== undefined) this.#clearTimeout(c.timer);
      this.#summarize(c);
    }
  }

  /** Whether a rule's pattern matches `text` (the first that does counts it): then not printed. */
  #consolidated(text: string): boolean {
    const c = this.#counters.find((x) => x.rule.pattern.test(text));
    if (!c) return false;
    c.count++;
    if (c.count > 1) return true;
    const timer = this.#setTimeout(() => this.#summarize(c), c.rule.intervalMs);
    timer.unref?.();
    c.timer = timer;
    return !c.rule.showFirst;
  }

  #summarize(c: Counter): void {
    c.timer = undefined;
    const n = c.count;
    c.count = 0;
    if (n === 0) return;
    const level = c.rule.level === 'warning' ? 'WARNING' : c.rule.level.toUpperCase();
    this.#out.write(
      `[${level}] plugin/errors: ${n} errors like '${c.rule.pattern.source}' occurred in last ${goDuration(c.rule.intervalMs)}`,
    );
  }
}
