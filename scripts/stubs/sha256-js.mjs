// Stands in for @smithy/core's pure-JS SHA-256 (Sha256Js) in the Workers bundle (scripts/build.mjs).
// The browser build hashes and signs (SigV4) with WebCrypto (Sha256WebCrypto) and falls back to
// Sha256Js only where crypto.subtle is missing or past 8 MiB of input; workerd has crypto.subtle,
// and a DynamoDB read request is a few hundred bytes.
export class Sha256Js {
  constructor() {
    throw new Error('edge-dns: SHA-256 without WebCrypto is not bundled (see scripts/build.mjs)');
  }
}
