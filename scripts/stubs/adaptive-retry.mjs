// Stands in for @smithy/core's AdaptiveRetryStrategy (with its client-side rate limiter, about
// 3.4 KB minified) in the Workers bundle (scripts/build.mjs). The SDK builds it only when the
// retry mode is 'adaptive'; functions/entry/workers.ts sets retryMode 'standard', and the browser
// build reads no AWS_RETRY_MODE, so the Worker never asks for it.
export class AdaptiveRetryStrategy {
  constructor() {
    throw new Error(
      "edge-dns: the 'adaptive' retry mode is not bundled; use 'standard' (see scripts/build.mjs)",
    );
  }
}
