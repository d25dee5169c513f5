// CoreDNS's `log` plugin as a query observer: one line per answered query whose reply falls in
// one of the configured classes, formatted as configured, handed to a LineWriter (never blocking
// the answer: the observer runs after the reply went out, docs/architecture.md §7).
import type { ObservedQuery, QueryObserver } from '../observe/query-observer.ts';
import { compileLineBytes, type ByteLineSink } from './line-bytes.ts';
import { compileFormat, type LogEntry } from './log-format.ts';
import { queryFields, replyFields } from './message-fields.ts';
import { responseClass, type LogClass } from './response-class.ts';

export interface QueryLogOptions {
  /** `{common}`, `{combined}` or text with placeholders (log-format.ts). */
  format: string;
  classes: readonly LogClass[];
  json: boolean;
}

/** Where lines go: a LineWriter (text lines are written into its buffer when it can). */
export interface LineSink extends Partial<ByteLineSink> {
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
  readonly #emit: (e: LogEntry) => void;
  readonly #classes: ReadonlySet<LogClass>;
  readonly #all: boolean;

  constructor(options: QueryLogOptions, out: LineSink) {
    if (!options.json && out.writeWith) {
      const write = compileLineBytes(options.format);
      this.#emit = (e) => write(e, out as ByteLineSink);
    } else {
      const render = compileFormat(options.format, options.json);
      this.#emit = (e) => out.write(render(e));
    }
    this.#classes = new Set(options.classes);
    this.#all = this.#classes.has('all');
  }

  observe(q: ObservedQuery): void {
    // No reply: not a query (too short, or a response); CoreDNS's server drops those unlogged.
    if (!q.reply) return;
    const query = queryFields(q.query);
    const reply = replyFields(q.reply);
    if (!query || !reply) return;
    if (!this.#all && !this.#classes.has(responseClass(reply))) return;
    this.#emit({
      query,
      reply,
      querySize: q.query.length,
      replySize: q.reply.length,
      proto: q.proto,
      address: q.client.address,
      port: q.client.port,
      durationMs: q.durationMs,
    });
  }
}
