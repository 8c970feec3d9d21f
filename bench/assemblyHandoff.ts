/**
 * What a training batch costs the thread that asks for it, assembled in place or handed to BatchLoader's assembly
 * thread (prefetched, as in training): CPU time of the calling thread per batch, from /proc's schedstat for that
 * thread, over `batches` batches after a warm-up. The hand-off's cost is posting the task and taking its reply; in
 * place it is the assembly itself. Where the two cross is where BatchLoader's INLINE_ASSEMBLY_MAX_VALUES belongs.
 *
 *   node dist/bench/assemblyHandoff.js            (prints the table; bench:allreduce prints it too)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BatchLoader, computeNormalization, INLINE_ASSEMBLY_MAX_VALUES, type DatasetSplit } from '../src/data/index.js';

export interface HandoffRow {
  shape: string;
  values: number;
  augment: boolean;
  /** The calling thread's CPU time per batch, µs. */
  inPlaceUs: number;
  handOffUs: number;
}

/** CPU time this thread (the process's main thread) has run, ns: the first field of its schedstat. */
function mainThreadCpuNs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
}

function split(name: string, n: number, height: number, width: number, channels: number): DatasetSplit {
  const pixels = new Uint8Array(n * height * width * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) & 255;
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { name, n, height, width, channels, pixels, labels, numClasses: 10 };
}

async function cpuPerBatchUs(
  train: DatasetSplit,
  batch: number,
  augment: boolean,
  inlineMaxValues: number,
  batches: number,
): Promise<number> {
  const loader = new BatchLoader({
    train,
    val: train,
    stats: computeNormalization(train),
    globalBatchSize: batch,
    rank: 0,
    worldSize: 1,
    seed: 0,
    augment,
    inlineMaxValues,
  });
  try {
    const perEpoch = loader.iterationsPerEpoch;
    const warmup = 50;
    for (let i = 0; i < warmup; i++) await loader.trainBatch(0, i % perEpoch);
    // Let the prefetches in flight land before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t0 = mainThreadCpuNs();
    for (let i = warmup; i < warmup + batches; i++) {
      await loader.trainBatch(Math.floor(i / perEpoch), i % perEpoch);
    }
    return (mainThreadCpuNs() - t0) / batches / 1000;
  } finally {
    await loader.close();
  }
}

export async function measureAssemblyHandoff(batches = 300): Promise<HandoffRow[]> {
  const cases: [number, number, number, number, boolean][] = [
    [32, 4, 4, 1, false], // the step-overhead bench's batches
    [16, 16, 16, 1, false], // 4096 values
    [16, 16, 16, 1, true],
    [32, 16, 16, 1, true], // 8192 values
    [64, 28, 28, 1, true], // a Fashion-MNIST shard of two workers at 128
  ];
  const rows: HandoffRow[] = [];
  for (const [b, h, w, c, augment] of cases) {
    const train = split(`${h}x${w}x${c}`, 2048, h, w, c);
    rows.push({
      shape: `${b}×${h}×${w}×${c}`,
      values: b * h * w * c,
      augment,
      inPlaceUs: await cpuPerBatchUs(train, b, augment, Number.MAX_SAFE_INTEGER, batches),
      handOffUs: await cpuPerBatchUs(train, b, augment, 0, batches),
    });
  }
  return rows;
}

export function handoffTable(rows: HandoffRow[]): string {
  return [
    `| batch | values | augmented | in place | handed to the assembly thread | where it goes (limit ${INLINE_ASSEMBLY_MAX_VALUES} values) |`,
    '|---|---:|---|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.shape} | ${r.values} | ${r.augment ? 'yes' : 'no'} | ${r.inPlaceUs.toFixed(0)} µs | ` +
        `${r.handOffUs.toFixed(0)} µs | ${r.values <= INLINE_ASSEMBLY_MAX_VALUES ? 'in place' : 'thread'} |`,
    ),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureAssemblyHandoff();
  console.log(
    "Batch assembly: the asking thread's CPU time per batch (schedstat), in place or handed to an assembly thread " +
      '(prefetched), mean over 300 batches after 50 of warm-up\n',
  );
  console.log(handoffTable(rows));
}
