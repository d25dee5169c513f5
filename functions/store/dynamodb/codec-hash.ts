// The content hash of an item body: lets a restarted sync tell unchanged items from changed ones
// by the GSI listing alone, and names the generation of a node's parts (codec.ts). 64 bits in two
// 32-bit lanes (the cyrb53 mixing), over the body bytes. Not cryptographic: a collision can only
// make the sync skip rewriting an item the same cluster's builder produced.

/** 16 lowercase hex digits. */
export function hashBytes(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
