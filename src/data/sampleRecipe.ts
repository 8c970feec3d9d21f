/**
 * How data/fashion-mnist-sample was made from the full Fashion-MNIST (scripts/make-sample.mjs): a stratified draw
 * of `trainPerClass` training and `testPerClass` test examples per class, seeded by `seed` (mixed with the class
 * and the split), kept in the source order.
 */
export const SAMPLE_RECIPE = {
  seed: 1,
  trainPerClass: 600,
  testPerClass: 100,
  /** Mixed into the seed so the train and test draws are independent. */
  trainSalt: 0,
  testSalt: 1,
} as const;
