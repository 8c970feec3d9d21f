/**
 * The coordinator's overhead per step: a step's wall time at the coordinator (Cluster.step: broadcast the step's
 * hyper-parameters, gather the replies) minus the slowest worker's own time in it (StepReply compute_ms +
 * allreduce_ms). A tiny model (the mlp on 4x4 images, 3.5k parameters) keeps the workers' part small, so what is
 * left is the RPC round trip, the worker's wait for its batch, and the scheduling of threads/processes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, launchWorkers } from '../src/coordinator/index.js';
import { resolveFitConfig, type SpawnMode } from '../src/shared/config/index.js';
import { encodeIdx, IDX_FILES } from '../src/data/index.js';
import { createLogger } from '../src/shared/log/index.js';
import { measureWakeFloor } from './wakeFloor.js';

export interface OverheadRow {
  workers: number;
  spawn: SpawnMode;
  parameters: number;
  steps: number;
  medianStepMs: number;
  medianWorkerMs: number;
  medianOverheadMs: number;
  p90OverheadMs: number;
  /** measureWakeFloor at the median worker time: a plain TCP round trip's share of the overhead on this machine. */
  wakeFloorMs: number;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** A 4x4-pixel IDX dataset (n train, n/4 test, 10 classes) in a temporary directory. */
function tinyDataset(n: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sc-bench-'));
  const write = (file: string, dims: number[], f: (i: number) => number): void => {
    const count = dims.reduce((a, b) => a * b, 1);
    writeFileSync(
      path.join(dir, file),
      encodeIdx(
        dims,
        Uint8Array.from({ length: count }, (_, i) => f(i)),
      ),
    );
  };
  write(IDX_FILES.trainImages, [n, 4, 4], (i) => (i * 37) % 256);
  write(IDX_FILES.trainLabels, [n], (i) => i % 10);
  write(IDX_FILES.testImages, [n / 4, 4, 4], (i) => (i * 11) % 256);
  write(IDX_FILES.testLabels, [n / 4], (i) => i % 10);
  return dir;
}

export async function measureStepOverhead(
  cases: { workers: number; spawn: SpawnMode }[],
  steps: number,
  warmup: number,
): Promise<OverheadRow[]> {
  process.env.SUPERCONVERGE_LOG_LEVEL ??= 'warn';
  const dataDir = tinyDataset(4096);
  const log = createLogger({ level: 'warn' });
  const rows: OverheadRow[] = [];
  try {
    for (const { workers, spawn } of cases) {
      const config = resolveFitConfig({
        model: 'mlp',
        data: `idx:${dataDir}`,
        backend: 'cpu',
        batchSize: 32,
        workers,
        spawn,
        augment: false,
        seed: 0,
      });
      const launched = await launchWorkers(config, log);
      const cluster = new Cluster(launched.workers, launched.runId);
      try {
        const [info] = await cluster.configure(config, launched.ringAddresses);
        const stepMs: number[] = [];
        const workerMs: number[] = [];
        const overhead: number[] = [];
        for (let step = 0; step < warmup + steps; step++) {
          const t0 = performance.now();
          const r = await cluster.step({
            step,
            epoch: 0,
            batchInEpoch: step % 128,
            momentum: 0.9,
            groupLrs: info.layerGroups.map(() => 0.01),
            groupWeightDecays: info.layerGroups.map(() => 0),
          });
          const ms = performance.now() - t0;
          if (step < warmup) continue;
          stepMs.push(ms);
          workerMs.push(r.workerMs);
          overhead.push(ms - r.workerMs);
        }
        rows.push({
          workers,
          spawn,
          parameters: info.parameterCount,
          steps,
          medianStepMs: quantile(stepMs, 0.5),
          medianWorkerMs: quantile(workerMs, 0.5),
          medianOverheadMs: quantile(overhead, 0.5),
          p90OverheadMs: quantile(overhead, 0.9),
          wakeFloorMs: await measureWakeFloor(quantile(workerMs, 0.5)),
        });
      } finally {
        await cluster.shutdown('bench done');
        await launched.close();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export function overheadTable(rows: OverheadRow[]): string {
  const lines = [
    '| workers | spawn | median step | median worker compute + allreduce | median overhead | p90 overhead | raw TCP floor |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.workers} | ${r.spawn} | ${r.medianStepMs.toFixed(2)} ms | ${r.medianWorkerMs.toFixed(2)} ms | ` +
        `${r.medianOverheadMs.toFixed(2)} ms | ${r.p90OverheadMs.toFixed(2)} ms | ${r.wakeFloorMs.toFixed(2)} ms |`,
    ),
  ];
  return lines.join('\n');
}
