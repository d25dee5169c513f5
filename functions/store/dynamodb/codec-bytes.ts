// Byte writer and reader for the item body (codec-body.ts): unsigned LEB128 varints, raw bytes and
// length-prefixed UTF-8 strings. Plain Uint8Array and TextEncoder: no Buffer, so the reader runs
// in Workers too.

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Thrown for a body that does not decode: the store cannot trust it. */
export class CorruptItemError extends Error {
  override name = 'CorruptItemError';
}

export class ByteWriter {
  #bytes = new Uint8Array(256);
  #used = 0;

  get length(): number {
    return this.#used;
  }

  /** Unsigned LEB128; arithmetic instead of bit operators so values up to 2^53 stay exact. */
  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`not an unsigned integer: ${value}`);
    this.#ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.#bytes[this.#used++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#bytes[this.#used++] = v;
  }

  byte(value: number): void {
    this.#ensure(1);
    this.#bytes[this.#used++] = value & 0xff;
  }

  bytes(value: ArrayLike<number>): void {
    this.#ensure(value.length);
    this.#bytes.set(value, this.#used);
    this.#used += value.length;
  }

  /** UTF-8 with a varint length prefix. */
  string(value: string): void {
    const encoded = utf8.encode(value);
    this.varint(encoded.length);
    this.bytes(encoded);
  }

  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#used);
  }

  #ensure(more: number): void {
    if (this.#used + more <= this.#bytes.length) return;
    const next = new Uint8Array(Math.max(this.#bytes.length * 2, this.#used + more));
    next.set(this.#bytes.subarray(0, this.#used));
    this.#bytes = next;
  }
}

export class ByteReader {
  #at = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.#at === this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new CorruptItemError('varint too long');
    }
  }

  byte(): number {
    if (this.#at >= this.bytes.length) throw new CorruptItemError('body ends early');
    return this.bytes[this.#at++]!;
  }

  take(length: number): Uint8Array {
    if (this.#at + length > this.bytes.length) throw new CorruptItemError('body ends early');
    const out = this.bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return out;
  }

  string(): string {
    try {
      return fromUtf8.decode(this.take(this.varint()));
    } catch (e) {
      if (e instanceof CorruptItemError) throw e;
      throw new CorruptItemError('string is not UTF-8');
    }
  }
}
