// SHA-256 and HMAC-SHA-256 on WebCrypto (crypto.subtle: Node and workerd alike), in the shape the
// SigV4 signer takes (@smithy/types Checksum): the edge bundles sign with it instead of a pure-JS
// hash (aws-json-client.ts).
type Data = string | ArrayBuffer | ArrayBufferView;

/** A copy: the signer may reuse its buffers, and WebCrypto takes no shared memory. */
function bytes(data: Data): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

export class WebSha256 {
  #secret: Uint8Array<ArrayBuffer> | undefined;
  #chunks: Uint8Array[] = [];

  constructor(secret?: Data) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
  }

  update(data: Data): void {
    this.#chunks.push(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    const size = this.#chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(size);
    let at = 0;
    for (const c of this.#chunks) all.set(c, (at += c.length) - c.length);
    if (!this.#secret) return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
    const key = await crypto.subtle.importKey(
      'raw',
      this.#secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, all));
  }

  reset(): void {
    this.#chunks = [];
  }
}
