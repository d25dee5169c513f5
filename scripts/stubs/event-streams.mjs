// Stands in for @smithy/core/event-streams in the edge bundles (scripts/build.mjs). The SDK's
// HttpProtocol loads it with a dynamic import only for operations with an event stream; DynamoDB
// has none (its Smithy model declares no @streaming union), so this code never runs there, and the
// real module (about 15 KB minified) would only be dead weight in the Lambda and Workers bundles.
const absent = () => {
  throw new Error(
    'edge-dns: AWS event streams are not bundled (DynamoDB has none; see scripts/build.mjs)',
  );
};
export class EventStreamSerde {
  constructor() {
    absent();
  }
}
export const eventStreamSerdeProvider = absent;
