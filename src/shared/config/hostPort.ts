import { ConfigError } from './ConfigError.js';

/** Splits `host:port` (or `[v6]:port`); the flag or variable it came from is named in the error. */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535))
    throw new ConfigError(`${what} must be HOST:PORT (e.g. 10.0.0.1:29500), got '${text}'`);
  return { host: m[1] ?? m[2], port };
}

/** `host:port`, bracketing IPv6 hosts. */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
