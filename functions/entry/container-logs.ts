// The container's log outputs from its `log` and `errors` keys (functions/log/): the query log as
// a query observer writing stdout, and failures as CoreDNS `errors` lines on stderr; without an
// `errors` block, failures print as plain `edge-dns: ...` lines and queries that fail print
// nothing, as before the plugin existed. Both go through bounded writers that never block the
// serving path. A reload re-reads both blocks (a query log off at start needs a restart: the
// listeners observe queries only when some observer was configured then).
import type { ObservedQuery, QueryObserver } from '../observe/query-observer.ts';
import { ErrorLog, type FailedQuestion } from '../log/error-log.ts';
import { consolidateRules } from '../log/errors-config.ts';
import { LineWriter, type LineStream } from '../log/line-writer.ts';
import { droppedLogLine, QueryLog } from '../log/query-log.ts';
import type { ContainerConfig } from './container-config.ts';

/** Who reports a failure: the plugin name of its `[ERROR] plugin/NAME:` line. */
export type LogSource = 'forward' | 'kubernetes' | 'dns53' | 'corefile';

/** What the container's parts report to. */
export interface ContainerLog {
  /** A failure or notice; with a source, an errors-plugin line when `errors` is on. */
  warn(line: string, source?: LogSource): void;
  /** A query answered `rcode` because of `error`; printed only when `errors` is on. */
  queryFailed?(rcode: number, question: FailedQuestion, error: string): void;
}

type LogKeys = Pick<ContainerConfig, 'log' | 'errors'>;

interface Streams {
  stdout: LineStream;
  stderr: LineStream;
}

/** How long query log lines wait to be written with others (functions/log/README.md). */
const QUERY_LOG_FLUSH_MS = 50;

/** The question's name as the errors line shows it: lowercase, canonical (no trailing dot). */
const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

export class ContainerLogs implements ContainerLog {
  readonly #streams: Streams;
  #query: { log: QueryLog; writer: LineWriter } | undefined;
  #errors: { log: ErrorLog; writer: LineWriter } | undefined;
  /** The query log was on at start: the observer below is registered. */
  readonly #observing: boolean;

  constructor(config: LogKeys, streams: Streams = process) {
    this.#streams = streams;
    this.#observing = !!config.log?.enabled;
    this.#apply(config);
  }

  /** The query log as a query observer, or undefined when it is off at start. */
  get observer(): QueryObserver | undefined {
    if (!this.#observing) return undefined;
    return { observe: (q: ObservedQuery) => this.#query?.log.observe(q) };
  }

  warn(line: string, source?: LogSource): void {
    if (this.#errors && source) this.#errors.log.report(source, line);
    else console.error(`edge-dns: ${line}`);
  }

  queryFailed(rcode: number, question: FailedQuestion, error: string): void {
    this.#errors?.log.query(rcode, { name: canonical(question.name), type: question.type }, error);
  }

  /** Applies a reloaded configuration's `log` and `errors` blocks. */
  reconfigure(config: LogKeys): void {
    if (config.log?.enabled && !this.#observing)
      this.warn('log: the query log was off at start; it starts with the next restart');
    void this.#retire();
    this.#apply(config);
  }

  /** Writes what is held (and the consolidated counts), waiting at most `deadlineMs`. */
  async close(deadlineMs = 2000): Promise<void> {
    await this.#retire(deadlineMs);
  }

  #apply(config: LogKeys): void {
    const log = config.log;
    if (log?.enabled) {
      const writer = new LineWriter(this.#streams.stdout, {
        maxBufferedChars: log.bufferChars,
        droppedLine: droppedLogLine(log.json),
        // Many lines per write(2): a write per turn is one per query when queries come apart.
        flushMs: QUERY_LOG_FLUSH_MS,
      });
      this.#query = { log: new QueryLog(log, writer), writer };
    }
    const errors = config.errors;
    if (errors?.enabled) {
      const writer = new LineWriter(this.#streams.stderr, {
        maxBufferedChars: 1 << 20,
        droppedLine: (n) =>
          `[WARNING] plugin/errors: ${n} error lines dropped: stderr is not keeping up`,
      });
      this.#errors = {
        log: new ErrorLog({ consolidate: consolidateRules(errors), out: writer }),
        writer,
      };
    }
  }

  async #retire(deadlineMs?: number): Promise<void> {
    const query = this.#query;
    const errors = this.#errors;
    this.#query = this.#errors = undefined;
    errors?.log.close();
    await Promise.all([query?.writer.close(deadlineMs), errors?.writer.close(deadlineMs)]);
  }
}
