/** A configuration problem, worded for the operator: it names the source, the setting and what
 *  was expected. The container's, the sync's and the edge's configuration all throw it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
