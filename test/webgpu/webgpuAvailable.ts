import { selectBackend } from '../../src/worker/index.js';

/**
 * Loads the webgpu backend, or says why it cannot: only a missing adapter or a missing optional package is a
 * reason to skip (printed); any other failure is the test's failure.
 */
export async function webgpuSkipReason(): Promise<string | undefined> {
  try {
    await selectBackend('webgpu');
    return undefined;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/no WebGPU adapter|cannot load: Cannot find (module|package)/.test(msg)) {
      process.stderr.write(`skipping the webgpu tests: ${msg}\n`);
      return msg;
    }
    throw e;
  }
}

/** ||a - b|| / ||b||, the relative L2 difference of two float vectors. */
export function relL2(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
