/** A bad flag or config value: the message names the flag or key and what is allowed. Printed without a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
