// Stands in for @aws-sdk/credential-provider-node (the Node default credential chain: env, SSO,
// ini files, credential_process, web identity, ECS/IMDS, with the STS/SSO clients they need: about
// 150 KB minified) in the Lambda bundle (scripts/build.mjs). Lambda puts the execution role's
// credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (AWS Lambda docs,
// "Defined runtime environment variables"), and functions/entry/lambda.ts passes them explicitly
// (@aws-sdk/credential-provider-env), so the client never asks the default chain.
export const defaultProvider = () => async () => {
  throw new Error(
    'edge-dns: the Node default credential chain is not bundled; pass `credentials` (see scripts/build.mjs)',
  );
};
