/** One problem a schema found: the key path and what was expected. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/** A configuration problem, worded for the operator: it names the source, the setting and what
 *  was expected. The container's, the sync's and the edge's configuration all throw it. A schema's
 *  problems travel in `issues`, so the command line can say which flag or file line set the key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
  ) {
    super(message);
  }
}
