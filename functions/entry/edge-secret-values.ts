// The text of the Lambda's secrets (an SSM SecureString parameter or a Secrets Manager secret,
// edge-secrets.ts) as environment variables: a JSON object of EDGE_DNS_* names to their values,
// as the Secrets Manager console writes key/value pairs, e.g. {"EDGE_DNS_TOKENS": "t1,t2"}. Any
// edge variable may come this way; a message never repeats a value (a token must not reach a log).

/** Variables that say where the secrets are: they cannot be among them. */
export const SECRET_SOURCE_VARIABLES = [
  'EDGE_DNS_SECRETS_PARAMETER',
  'EDGE_DNS_SECRETS_ID',
  'EDGE_DNS_SSM_ENDPOINT',
  'EDGE_DNS_SECRETSMANAGER_ENDPOINT',
];

const NAME = /^EDGE_DNS_[A-Z0-9_]+$/;

/**
 * The variables `text` sets, or the problems with it (each naming the key, never the value).
 * `env` is the function's own environment: a variable set both there and in the secret is a
 * problem, so that no one wonders which wins.
 */
export function secretValues(
  text: string,
  env: Record<string, unknown>,
): { values: Record<string, string> } | { problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {
      problems: ['expected a JSON object of variables such as {"EDGE_DNS_TOKENS": "..."}'],
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { problems: ['expected a JSON object of variables, not a single value'] };
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (!NAME.test(name) || SECRET_SOURCE_VARIABLES.includes(name))
      problems.push(`key ${JSON.stringify(name)}: expected an edge variable name (EDGE_DNS_...)`);
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      problems.push(`${name}: expected text, a number or true/false`);
    else if (typeof env[name] === 'string' && env[name].trim() !== '')
      problems.push(`${name}: also set in the environment: set it in one place`);
    else values[name] = String(value);
  }
  return problems.length > 0 ? { problems } : { values };
}
