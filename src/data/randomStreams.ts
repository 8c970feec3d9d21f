/**
 * Stream ids mixed into the run seed so the data layer's random choices draw from independent streams:
 * SeededRng.fromParts(seed, stream, ...).
 */
export const PERMUTATION_STREAM = 0x7065726d; // 'perm'
export const AUGMENT_STREAM = 0x61756720; // 'aug '
