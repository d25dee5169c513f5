// Log lines off the serving path: `write` only appends to a bounded buffer; the buffer goes out in
// one write per turn of the event loop, and not again until the stream has drained
// (docs/architecture.md §7: process plugins never delay an answer). When the output does not keep
// up and the buffer is full, lines are dropped and counted, and the count is written in their
// place once there is room: memory stays bounded whatever the reader does.

/** What the writer needs of a stream (process.stdout, process.stderr). */
export interface LineStream {
  write(chunk: string, done?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface LineWriterOptions {
  /** Characters held while the stream is busy; past this, lines are dropped (and counted). */
  maxBufferedChars: number;
  /** The line that reports `count` dropped lines. */
  droppedLine: (count: number) => string;
}

export class LineWriter {
  readonly #out: LineStream;
  readonly #o: LineWriterOptions;
  /** The held lines, each ending in a newline: one string (a rope) until it is written. */
  #pending = '';
  #lines = 0;
  /** Dropped since the last report. */
  #unreported = 0;
  #scheduled = false;
  #draining = false;
  /** Lines handed to the stream (reports of dropped lines not counted), and lines dropped. */
  written = 0;
  dropped = 0;

  constructor(out: LineStream, options: LineWriterOptions) {
    this.#out = out;
    this.#o = options;
  }

  write(line: string): void {
    if (this.#pending.length + line.length + 1 > this.#o.maxBufferedChars) {
      this.#unreported++;
      this.dropped++;
    } else {
      this.#pending += `${line}\n`;
      this.#lines++;
    }
    if (!this.#scheduled && !this.#draining) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Writes what is held, and resolves once the stream has taken it (or after `deadlineMs`). */
  close(deadlineMs = 2000): Promise<void> {
    const chunk = this.#take();
    if (chunk === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, deadlineMs);
      this.#out.write(chunk, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#draining) return;
    const chunk = this.#take();
    if (chunk === undefined || this.#out.write(chunk)) return;
    this.#draining = true;
    this.#out.once('drain', () => {
      this.#draining = false;
      this.#flush();
    });
  };

  /** The held lines as one chunk, the dropped count after them (they came later); or undefined. */
  #take(): string | undefined {
    if (this.#lines === 0 && this.#unreported === 0) return undefined;
    this.written += this.#lines;
    let chunk = this.#pending;
    if (this.#unreported > 0) {
      chunk += `${this.#o.droppedLine(this.#unreported)}\n`;
      this.#unreported = 0;
    }
    this.#pending = '';
    this.#lines = 0;
    return chunk;
  }
}
