import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A small deterministic PRNG (mulberry32), so the fixtures' noise is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `superconverge-${prefix}-`));
}

const CONFIG = {
  model: 'resnet-mini',
  data: 'sample',
  backend: 'cpu',
  batchSize: 64,
  epochs: 3,
  iterations: 0,
  schedule: 'one-cycle',
  lr: 0.4,
  oneCycle: { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 },
  momentum: 0.9,
  stepMilestones: [0.5, 0.75],
  stepGamma: 0.1,
  wd: 1e-4,
  wdMode: 'coupled',
  seed: 0,
  augment: true,
  shuffle: true,
  workers: 2,
  spawn: 'thread',
};

/** A fit run: 3 epochs of 40 iterations, a one-cycle-like lr and momentum, a falling noisy loss; summary.json optional. */
export function makeFitRun(dir: string, { summary = true } = {}): { iterations: number; epochs: number } {
  mkdirSync(dir, { recursive: true });
  const rand = rng(1);
  const perEpoch = 40;
  const epochs = 3;
  const n = perEpoch * epochs;
  const lines: string[] = [];
  let avg = 0;
  for (let i = 0; i < n; i++) {
    const t = i / n;
    const up = t < 0.45 ? t / 0.45 : t < 0.9 ? (0.9 - t) / 0.45 : 0;
    const lr = 0.04 + 0.36 * up;
    const momentum = 0.95 - 0.1 * up;
    const loss = 2.3 * Math.exp(-2.2 * t) + 0.25 * (rand() - 0.5);
    avg = 0.98 * avg + 0.02 * loss;
    const smoothLoss = avg / (1 - 0.98 ** (i + 1));
    lines.push(
      JSON.stringify({
        iteration: i,
        epoch: Math.floor(i / perEpoch),
        lr,
        momentum,
        loss,
        smoothLoss,
        trainAccuracy: 0.1 + 0.8 * t,
        stepMs: 50,
        computeMs: 40,
        allreduceMs: 5,
      }),
    );
  }
  writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  const rows = [
    'epoch,trainLoss,valLoss,accuracy,seconds,imagesPerSecond',
    '0,1.9,1.62,0.41,2.100,1219.0',
    '1,1.21,1.05,0.63,2.000,1280.0',
    '2,0.71,0.66,0.79,2.050,1248.8',
  ];
  writeFileSync(path.join(dir, 'epochs.csv'), rows.join('\n') + '\n');
  if (summary) {
    writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify(
        {
          runDir: dir,
          valLoss: 0.66,
          accuracy: 0.79,
          iterations: n,
          epochs,
          imagesPerSecond: 1251.3,
          workers: 2,
          backend: 'cpu',
          config: { ...CONFIG, out: dir },
        },
        null,
        2,
      ),
    );
  }
  return { iterations: n, epochs };
}

/** The loss an lr_find sees at a learning rate: flat, falling to a minimum near 3e-1 / 10^wdShift, then diverging. */
function lossAt(lr: number, shift: number): number {
  const x = Math.log10(lr) + shift;
  return 2.3 - 1.1 / (1 + Math.exp(-3 * (x + 2.5))) + Math.exp(3.5 * (x + 0.3));
}

/** An lr_find run: 100 iterations from 1e-5 to 10 (exponential), with validation loss and accuracy; optional sweep. */
export function makeLrFindRun(
  dir: string,
  {
    wds,
    suggestion = 3e-2,
    iterations = 100,
  }: { wds?: number[]; suggestion?: number | null; iterations?: number } = {},
): void {
  mkdirSync(dir, { recursive: true });
  const rand = rng(2);
  const lines: string[] = [];
  for (const [k, wd] of (wds ?? [undefined]).entries()) {
    for (let i = 0; i < iterations; i++) {
      const lr = 1e-5 * 1e6 ** (i / iterations);
      const base = lossAt(lr, k * 0.3);
      const loss = base + 0.15 * (rand() - 0.5);
      const valLoss = base * 0.97 + 0.05 * (rand() - 0.5);
      const accuracy = Math.max(0, Math.min(1, 1 - valLoss / 2.5));
      lines.push(
        JSON.stringify({
          iteration: i,
          lr,
          momentum: 0.9,
          loss,
          smoothLoss: loss,
          valLoss,
          accuracy,
          ...(wd === undefined ? {} : { wd }),
        }),
      );
    }
  }
  writeFileSync(path.join(dir, 'lr_find.jsonl'), lines.join('\n') + '\n');
  const s =
    suggestion === null
      ? {}
      : {
          suggestion: {
            lr: suggestion,
            minValLossLr: 0.3,
            steepestLr: 0.01,
            explanations: { lr: 'a tenth of the lr at the minimum validation loss' },
          },
        };
  writeFileSync(
    path.join(dir, 'summary.json'),
    JSON.stringify({ iterations, workers: 1, backend: 'cpu', config: { ...CONFIG, wd: wds ?? 1e-4 }, ...s }, null, 2),
  );
}

/** A log that keeps what it is given, for callbacks' messages. */
export function recordingLog(): {
  lines: { level: string; obj: unknown; msg: string }[];
  info: (o: unknown, m: string) => void;
  error: (o: unknown, m: string) => void;
  warn: (o: unknown, m: string) => void;
} {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg: string) => void lines.push({ level, obj, msg });
  return { lines, info: at('info'), error: at('error'), warn: at('warn') };
}
