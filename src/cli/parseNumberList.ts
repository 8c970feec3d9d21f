import { ConfigError, MAX_COUNT } from '../shared/config/index.js';

/** Parses `a,b,c` into numbers; the flag is named in the error. */
export function parseNumberList(flag: string, text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  const bad = parts.find((p, i) => p === '' || !Number.isFinite(values[i]));
  if (bad !== undefined) throw new ConfigError(`${flag} takes comma-separated numbers, got '${text}'`);
  return values;
}

/** Parses one finite number. */
export function parseNumber(flag: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(`${flag} takes a number, got '${text}'`);
  return v;
}

/**
 * Parses a whole number in [min, max]; one message for every way it can be wrong (`-5`, `0` where 1 is the least,
 * `1e20`, `2.5`), so that the range a flag takes is stated the same whatever was given.
 */
export function parseInteger(flag: string, text: string, min = 0, max = MAX_COUNT): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(`${flag} takes a whole number from ${min} to ${max}, got '${text}'`);
  }
  return v;
}
