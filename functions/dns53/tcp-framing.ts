// RFC 1035 §4.2.2 / RFC 7766 §8: every DNS message over TCP is preceded by a 2-byte length.

/** Splits a TCP byte stream into DNS messages. Holds at most one partial message. */
export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;

  /** Feeds bytes; returns every message they complete. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.#buffered >= 2) {
      const head = this.#peek(2);
      const length = head.readUInt16BE(0);
      if (this.#buffered < 2 + length) break;
      const frame = this.#take(2 + length);
      messages.push(frame.subarray(2));
    }
    return messages;
  }

  /** Bytes received that do not yet make a whole message. */
  get pending(): number {
    return this.#buffered;
  }

  #peek(n: number): Buffer {
    const first = this.#chunks[0];
    if (first && first.length >= n) return first;
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    return joined;
  }

  #take(n: number): Buffer {
    const joined = this.#peek(n);
    this.#chunks[0] = joined.subarray(n);
    if (this.#chunks[0].length === 0) this.#chunks.shift();
    this.#buffered -= n;
    return joined.subarray(0, n);
  }
}

/** Prefixes one message with its 2-byte length. */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
