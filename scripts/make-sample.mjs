#!/usr/bin/env node
// Makes data/fashion-mnist-sample: a stratified, seeded sample of Fashion-MNIST (600 train / 100 test images
// per class by default) from the files of Debian's dataset-fashion-mnist package, written as gzipped IDX files
// with a README recording provenance, license, the command and checksums.
//
//   npm run build && node scripts/make-sample.mjs [--source DIR] [--out DIR] [--seed N]
//                                                  [--train-per-class N] [--test-per-class N]
//
// Deterministic: the same source files and options give byte-identical output (gzip level 9, no timestamps).
// It uses the compiled data layer (dist/), so the draw is the code the tests check.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = await import(path.join(root, 'dist/src/data/index.js')).catch((err) => {
  console.error(`make-sample: cannot load the compiled data layer (run \`npm run build\` first): ${err.message}`);
  process.exit(1);
});
const { readIdxDir, stratifiedSample, selectExamples, encodeIdx, mixSeed, SAMPLE_RECIPE, FASHION_MNIST_DIR, IDX_FILES } = data;

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: FASHION_MNIST_DIR },
    out: { type: 'string', default: path.join(root, 'data', 'fashion-mnist-sample') },
    seed: { type: 'string', default: String(SAMPLE_RECIPE.seed) },
    'train-per-class': { type: 'string', default: String(SAMPLE_RECIPE.trainPerClass) },
    'test-per-class': { type: 'string', default: String(SAMPLE_RECIPE.testPerClass) },
  },
});
const seed = Number(values.seed);
const trainPerClass = Number(values['train-per-class']);
const testPerClass = Number(values['test-per-class']);
for (const [name, v] of [['--seed', seed], ['--train-per-class', trainPerClass], ['--test-per-class', testPerClass]]) {
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`make-sample: ${name} must be a non-negative integer, got ${JSON.stringify(String(v))}`);
    process.exit(2);
  }
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let source;
try {
  source = await readIdxDir(values.source, 'fashion-mnist', 10);
} catch (err) {
  console.error(`make-sample: ${err.message}`);
  console.error('make-sample: the source is Debian\'s package: apt-get install dataset-fashion-mnist');
  process.exit(1);
}

const draws = [
  ['train', source.train, trainPerClass, SAMPLE_RECIPE.trainSalt, IDX_FILES.trainImages, IDX_FILES.trainLabels],
  ['test', source.test, testPerClass, SAMPLE_RECIPE.testSalt, IDX_FILES.testImages, IDX_FILES.testLabels],
];
mkdirSync(values.out, { recursive: true });
const written = [];
for (const [split, full, perClass, salt, imagesName, labelsName] of draws) {
  const indices = stratifiedSample(full.labels, 10, perClass, mixSeed(seed, salt));
  const sample = selectExamples(full, indices, `fashion-mnist-sample/${split}`);
  const files = [
    [`${imagesName}.gz`, encodeIdx([sample.n, sample.height, sample.width], sample.pixels)],
    [`${labelsName}.gz`, encodeIdx([sample.n], sample.labels)],
  ];
  for (const [name, idx] of files) {
    const gz = gzipSync(idx, { level: 9 });
    writeFileSync(path.join(values.out, name), gz);
    written.push({ name, bytes: gz.length, sha256: sha256(gz), examples: sample.n });
  }
}

const sourceFiles = Object.values(IDX_FILES).map((base) => {
  const file = path.join(values.source, `${base}.gz`);
  try {
    return `| \`${base}.gz\` | \`${sha256(readFileSync(file))}\` |`;
  } catch {
    return `| \`${base}\` (raw) | \`${sha256(readFileSync(path.join(values.source, base)))}\` |`;
  }
});

const command = `npm run build && node scripts/make-sample.mjs --source ${values.source} --seed ${seed} ` +
  `--train-per-class ${trainPerClass} --test-per-class ${testPerClass}`;
const readme = `# fashion-mnist-sample

A stratified sample of **Fashion-MNIST** for \`--data sample\` (the default): ${trainPerClass * 10} training images
(${trainPerClass} per class) and ${testPerClass * 10} test images (${testPerClass} per class), 28×28 grey-scale, 10 classes.
Files use the original IDX format, gzipped, under the original names.

## Provenance

- Dataset: Fashion-MNIST by Zalando Research, <https://github.com/zalandoresearch/fashion-mnist>
  (Han Xiao, Kashif Rasul, Roland Vollgraf, *Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine
  Learning Algorithms*, arXiv:1708.07747, 2017).
- Taken from the files of Debian's \`dataset-fashion-mnist\` package (\`apt-get install dataset-fashion-mnist\`),
  installed at \`${values.source}\`.
- Training images are drawn from the 60,000 training images, test images from the 10,000 test images; within each
  class the draw is uniform without replacement, seeded (seed ${seed}); the sample keeps the source order.

## License

MIT (Expat), as Fashion-MNIST itself: Copyright (c) 2017 Zalando SE. Permission is hereby granted, free of charge,
to any person obtaining a copy of this software and associated documentation files, to deal in them without
restriction, subject to including the copyright and permission notice; provided "as is", without warranty of any kind.
See <https://github.com/zalandoresearch/fashion-mnist/blob/master/LICENSE>.

## How it was made

\`\`\`sh
${command}
\`\`\`

The script is deterministic: the same source files and options give byte-identical files.

Source files (sha256):

| file | sha256 |
|---|---|
${sourceFiles.join('\n')}

Sample files (sha256):

| file | examples | bytes | sha256 |
|---|---|---|---|
${written.map((w) => `| \`${w.name}\` | ${w.examples} | ${w.bytes} | \`${w.sha256}\` |`).join('\n')}
`;
writeFileSync(path.join(values.out, 'README.md'), readme);
for (const w of written) console.log(`${path.join(values.out, w.name)}: ${w.examples} examples, ${w.bytes} bytes`);
