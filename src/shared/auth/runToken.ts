import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/ConfigError.js';

/** The call-metadata key that carries the run's shared token. */
export const TOKEN_METADATA_KEY = 'x-superconverge-token';
/** Shortest token accepted (characters). */
const MIN_TOKEN_LENGTH = 16;
const ENV = 'SUPERCONVERGE_TOKEN';

/**
 * The run's shared token: SUPERCONVERGE_TOKEN (set by --token-file for this process, and inherited by the worker
 * threads and processes it starts), or undefined when there is none.
 */
export function runToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const t = env[ENV];
  if (t === undefined || t === '') return undefined;
  if (t.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(`${ENV} must be at least ${MIN_TOKEN_LENGTH} characters, got ${t.length}`);
  return t;
}

/** `--token-file FILE`: reads the token (whitespace trimmed) and makes it this process's (and its workers') token. */
export function useTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new ConfigError(`--token-file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text.length < MIN_TOKEN_LENGTH)
    throw new ConfigError(
      `--token-file ${file}: the token must be at least ${MIN_TOKEN_LENGTH} characters, got ${text.length}`,
    );
  process.env[ENV] = text;
  return text;
}

/** Constant-time comparison: sha256 digests (equal lengths whatever the inputs) compared with timingSafeEqual. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

/** A server may bind beyond loopback only with a shared token; a ConfigError says how to give one. */
export function requireTokenToBind(host: string, what: string, env: NodeJS.ProcessEnv = process.env): void {
  if (isLoopback(host) || runToken(env) !== undefined) return;
  throw new ConfigError(
    `${what} would listen on ${host}, reachable from other machines, without a shared token: ` +
      `give one with --token-file FILE or ${ENV} (at least ${MIN_TOKEN_LENGTH} characters, the same on every machine)`,
  );
}
