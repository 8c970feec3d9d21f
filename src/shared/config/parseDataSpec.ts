import path from 'node:path';
import { ConfigError } from './ConfigError.js';

/** A parsed `--data` value. */
type DataSpec =
  | { readonly kind: 'sample' }
  | { readonly kind: 'fashion-mnist' }
  | { readonly kind: 'idx'; readonly dir: string }
  | { readonly kind: 'cifar10'; readonly dir: string };

/** What `--data` means when not given. */
export const DEFAULT_DATA_SPEC = 'sample';

export const DATA_SPEC_FORMS = ['sample', 'fashion-mnist', 'idx:DIR', 'cifar10:DIR'] as const;

/** Parses a `--data` value; directories are resolved against the current directory. */
export function parseDataSpec(spec: string): DataSpec {
  const trimmed = spec.trim();
  if (trimmed === 'sample') return { kind: 'sample' };
  if (trimmed === 'fashion-mnist') return { kind: 'fashion-mnist' };
  const match = /^(idx|cifar10):(.*)$/.exec(trimmed);
  if (match) {
    const kind = match[1] as 'idx' | 'cifar10';
    if (match[2] === '') throw new ConfigError(`--data ${JSON.stringify(spec)}: missing directory after "${kind}:"`);
    return { kind, dir: path.resolve(match[2]) };
  }
  throw new ConfigError(
    `--data ${JSON.stringify(spec)}: unknown dataset; expected one of: ${DATA_SPEC_FORMS.join(', ')}`,
  );
}
