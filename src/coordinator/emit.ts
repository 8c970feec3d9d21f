import type { FitCallback } from './FitCallback.js';

/** Calls event `name` on every callback that has it, in order, awaiting each. */
export async function emit<K extends keyof FitCallback>(
  callbacks: FitCallback[],
  name: K,
  ...args: Parameters<NonNullable<FitCallback[K]>>
): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[name] as ((...a: unknown[]) => unknown) | undefined;
    if (f) await f.apply(cb, args);
  }
}
