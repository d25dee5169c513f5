// CoreDNS's `log` plugin as a query observer: one line per answered query whose reply falls in
// one of the configured classes, formatted as configured, handed to a LineWriter (never blocking
// the answer: the observer runs after the reply went out, docs/architecture.md §7).
import type { ObservedQuery, QueryObserver } from '../observe/query-observer.ts';
import { compileFormat, type LogEntry } from './log-format.ts';
import { queryFields, replyFields } from './message-fields.ts';
import { responseClass, type LogClass } from './response-class.ts';

export interface QueryLogOptions {
  /** `{common}`, `{combined}` or text with placeholders (log-format.ts). */
  format: string;
  classes: readonly LogClass[];
  json: boolean;
}

/** Where lines go: a LineWriter. */
export interface LineSink {
  write(line: string): void;
}

/** The line reporting lines the writer had to drop, in the log's own form. */
export function droppedLogLine(json: boolean): (count: number) => string {
  const message = (n: number) => `${n} query log lines dropped: the output is not keeping up`;
  return json
    ? (n) => JSON.stringify({ level: 'WARNING', plugin: 'log', dropped: n, message: message(n) })
    : (n) => `[WARNING] plugin/log: ${message(n)}`;
}

export class QueryLog implements QueryObserver {
  readonly #render: (e: LogEntry) => string;
  readonly #classes: ReadonlySet<LogClass>;
  readonly #all: boolean;
  readonly #out: LineSink;

  constructor(options: QueryLogOptions, out: LineSink) {
    this.#render = compileFormat(options.format, options.json);
    this.#classes = new Set(options.classes);
    this.#all = this.#classes.has('all');
    this.#out = out;
  }

  observe(q: ObservedQuery): void {
    // No reply: not a query (too short, or a response); CoreDNS's server drops those unlogged.
    if (!q.reply) return;
    const query = queryFields(q.query);
    const reply = replyFields(q.reply);
    if (!query || !reply) return;
    if (!this.#all && !this.#classes.has(responseClass(reply))) return;
    this.#out.write(
      this.#render({
        query,
        reply,
        querySize: q.query.length,
        replySize: q.reply.length,
        proto: q.proto,
        address: q.client.address,
        port: q.client.port,
        durationMs: q.durationMs,
      }),
    );
  }
}
