// Log lines off the serving path: `write` only appends to a bounded buffer; the buffer goes out in
// one write per turn of the event loop (or, with `flushMs`, per interval, so that a busy server
// writes thousands of lines per write(2) rather than a few), and not again until the stream has
// drained (docs/architecture.md §7: process plugins never delay an answer). When the output does not keep
// up and the buffer is full, lines are dropped and counted, and the count is written in their
// place once there is room: memory stays bounded whatever the reader does.

/** What the writer needs of a stream (process.stdout, process.stderr). */
export interface LineStream {
  write(chunk: Uint8Array, done?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface LineWriterOptions {
  /** Characters held while the stream is busy; past this, lines are dropped (and counted). */
  maxBufferedChars: number;
  /** The line that reports `count` dropped lines. */
  droppedLine: (count: number) => string;
  /**
   * Hold lines up to this many milliseconds before writing them (0, the default: write at the
   * end of the turn), unless `flushChars` are held sooner.
   */
  flushMs?: number;
  /** With `flushMs`: write at the end of the turn once this many characters are held. */
  flushChars?: number;
}

const FLUSH_CHARS = 64 << 10;
/**
 * Lines are copied into chunks of this size as they come (UTF-8), so that no line string lives
 * past the young generation while it waits (with a 1 MiB semi-space, held strings would be
 * promoted and swept later: more GC than the formatting).
 */
const CHUNK_BYTES = 128 << 10;
/** UTF-8 bytes a UTF-16 code unit can take. */
const MAX_BYTES_PER_CHAR = 3;

export class LineWriter {
  readonly #out: LineStream;
  readonly #o: LineWriterOptions;
  /** The held lines, each ending in a newline: full chunks, then the one being filled. */
  #full: Buffer[] = [];
  #chunk: Buffer | undefined;
  #bytes = 0;
  /** Chunks written and handed back by the stream, for reuse. */
  readonly #spare: Buffer[] = [];
  /** Characters held (the bound counts characters), and lines. */
  #chars = 0;
  #lines = 0;
  /** Dropped since the last report. */
  #unreported = 0;
  /** A write is due at the end of this turn, or when the timer fires. */
  #turn = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining = false;
  /** Lines handed to the stream (reports of dropped lines not counted), and lines dropped. */
  written = 0;
  dropped = 0;

  constructor(out: LineStream, options: LineWriterOptions) {
    this.#out = out;
    this.#o = options;
  }

  write(line: string): void {
    if (this.#admit(line.length + 1)) {
      this.#append(line);
      this.#held(line.length + 1);
    }
  }

  /**
   * A line written by `fill` straight into the buffer (at most `maxBytes` from `at`; it returns
   * where the line ends): no string is built. The bound counts its bytes as characters.
   */
  writeWith(maxBytes: number, fill: (out: Buffer, at: number) => number): void {
    if (!this.#admit(maxBytes + 1)) return;
    const chunk = this.#room(maxBytes + 1);
    const end = fill(chunk, this.#bytes);
    chunk[end] = 0x0a;
    this.#held(end + 1 - this.#bytes);
    this.#bytes = end + 1;
  }

  /** Whether a line of `size` fits the bound; counts it dropped otherwise. */
  #admit(size: number): boolean {
    if (this.#chars + size <= this.#o.maxBufferedChars) return true;
    this.#unreported++;
    this.dropped++;
    this.#schedule();
    return false;
  }

  /** Counts a line of `size` held, and schedules its write. */
  #held(size: number): void {
    this.#chars += size;
    this.#lines++;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#turn || this.#draining) return;
    const o = this.#o;
    if (o.flushMs && this.#chars < (o.flushChars ?? FLUSH_CHARS)) {
      this.#timer ??= setTimeout(this.#flush, o.flushMs);
    } else {
      this.#turn = true;
      setImmediate(this.#flush);
    }
  }

  /** Writes what is held, and resolves once the stream has taken it (or after `deadlineMs`). */
  close(deadlineMs = 2000): Promise<void> {
    this.#cancelTimer();
    const chunk = this.#take();
    if (chunk === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, deadlineMs);
      this.#write(chunk, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  readonly #flush = (): void => {
    this.#turn = false;
    this.#cancelTimer();
    if (this.#draining) return;
    const chunk = this.#take();
    if (chunk === undefined || this.#write(chunk)) return;
    this.#draining = true;
    this.#out.once('drain', () => {
      this.#draining = false;
      this.#flush();
    });
  };

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The held lines as one chunk, the dropped count after them (they came later); or undefined. */
  #take(): Buffer | undefined {
    if (this.#lines === 0 && this.#unreported === 0) return undefined;
    this.written += this.#lines;
    if (this.#unreported > 0) {
      this.#append(this.#o.droppedLine(this.#unreported));
      this.#unreported = 0;
    }
    const chunk = this.#chunk!.subarray(0, this.#bytes);
    const out = this.#full.length === 0 ? chunk : Buffer.concat([...this.#full, chunk]);
    this.#full = [];
    this.#chunk = undefined;
    this.#bytes = this.#chars = this.#lines = 0;
    return out;
  }

  /** Copies `line` and a newline into the chunk being filled. */
  #append(line: string): void {
    const chunk = this.#room(line.length * MAX_BYTES_PER_CHAR + 1);
    this.#bytes += chunk.write(line, this.#bytes);
    chunk[this.#bytes++] = 0x0a;
  }

  /** The chunk being filled, with `room` bytes free from #bytes (a new one when it has none). */
  #room(room: number): Buffer {
    let chunk = this.#chunk;
    if (chunk === undefined || this.#bytes + room > chunk.length) {
      if (chunk !== undefined) this.#full.push(chunk.subarray(0, this.#bytes));
      const spare = room <= CHUNK_BYTES ? this.#spare.pop() : undefined;
      chunk = this.#chunk = spare ?? Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, room));
      this.#bytes = 0;
    }
    return chunk;
  }

  /** Hands `chunk` to the stream; its memory is reused once the stream says it is written. */
  #write(chunk: Buffer, done?: () => void): boolean {
    return this.#out.write(chunk, () => {
      const whole = Buffer.from(chunk.buffer);
      if (whole.length === CHUNK_BYTES && this.#spare.length < 2) this.#spare.push(whole);
      done?.();
    });
  }
}
