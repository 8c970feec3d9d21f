/**
 * `npm run bench`: every benchmark in one command. Runs bench:compute (per-backend training throughput, the wasm
 * matmul ceiling, PyTorch as the peer when /usr/bin/python3 imports torch, 1 -> 2 local workers, peak wasm heap) and
 * bench:allreduce (ring bus bandwidth against one raw TCP connection and one gRPC link, the coordinator's overhead
 * per step), each in its own process, then writes bench/results/<date>.json with both results and bench/results/<date>.md with the tables.
 * Extra arguments go to both (e.g. `npm run bench -- --repeats 3`); `--quick` runs shorter versions.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row as AllreduceRow } from './allreduce.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const results = path.resolve(here, '../../bench/results');
const quick = process.argv.includes('--quick');

function newest(prefix: string): string {
  const files = readdirSync(results).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  if (files.length === 0) throw new Error(`no ${prefix}*.json in ${results}: the benchmark wrote no results`);
  return path.join(
    results,
    files.sort((a, b) => statSync(path.join(results, b)).mtimeMs - statSync(path.join(results, a)).mtimeMs)[0],
  );
}

function run(script: string, args: string[]): void {
  process.stderr.write(`\n== ${script} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [path.join(here, script), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status}`);
}

interface ComputeRow {
  what: string;
  batch: number;
  imagesPerSec: number;
  effectiveGflops: number | null;
  medianStepMs: number;
  processes: number;
  note?: string;
}
interface Overhead {
  workers: number;
  spawn: string;
  medianStepMs: number;
  medianWorkerMs: number;
  medianOverheadMs: number;
  p90OverheadMs: number;
}

const started = new Date();
const load = { before: loadavg()[0] };
run('compute.js', quick ? ['--processes', '1', '--steps', '3', '--warmup', '1'] : []);
run('allreduce.js', quick ? ['--ranks', '2', '--sizes-mb', '1,4', '--repeats', '3'] : []);
const compute = JSON.parse(readFileSync(newest('compute-'), 'utf8')) as {
  rows: ComputeRow[];
  extras: Record<string, unknown>;
};
const allreduce = JSON.parse(readFileSync(newest('allreduce-'), 'utf8')) as {
  rows: AllreduceRow[];
  stepOverhead: Overhead[];
};
const stamp = started.toISOString().slice(0, 19).replace(/[:T]/g, '-');
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  loadAverage: { ...load, after: loadavg()[0] },
};
writeFileSync(
  path.join(results, `${stamp}.json`),
  JSON.stringify({ date: started.toISOString(), machine, compute, allreduce }, null, 2) + '\n',
);

const f = (x: number | null | undefined, d = 1) => (x == null ? '-' : x.toFixed(d));
const md = [
  `# Benchmarks, ${started.toISOString()}`,
  '',
  `Machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}; load average ${f(load.before, 2)} before, ${f(machine.loadAverage.after, 2)} after. Command: \`npm run bench\`.`,
  '',
  '## Training throughput (bench:compute; medians of per-process medians)',
  '',
  '| what | batch | images/s | effective GFLOP/s | median step ms | processes |',
  '|---|---:|---:|---:|---:|---:|',
  ...compute.rows.map(
    (r) =>
      `| ${r.what} | ${r.batch} | ${f(r.imagesPerSec)} | ${f(r.effectiveGflops)} | ${f(r.medianStepMs, 0)} | ${r.processes} |`,
  ),
  '',
  `Extras: ${JSON.stringify(compute.extras)}`,
  '',
  '## Ring allreduce over TCP (bench:allreduce; busbw = algbw·2(N−1)/N, against one raw TCP connection, a raw TCP ring and one gRPC link in the same run)',
  '',
  '| ranks | MiB | median ms | algbw MiB/s | busbw MiB/s | raw TCP MiB/s | busbw / raw TCP | raw TCP ring MiB/s | busbw / raw TCP ring | gRPC link MiB/s | busbw / gRPC link |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...allreduce.rows.map(
    (r) =>
      `| ${r.ranks} | ${f(r.bytes / 2 ** 20, 0)} | ${f(r.medianMs)} | ${f(r.algbwMBps)} | ${f(r.busbwMBps)} | ${f(r.tcpMBps)} | ${f(r.busbwOverTcp * 100, 0)}% | ${f(r.rawRingMBps)} | ${f(r.busbwOverRawRing * 100, 0)}% | ${f(r.linkMBps)} | ${f(r.busbwOverLink * 100, 0)}% |`,
  ),
  '',
  "## Coordinator overhead per step (step wall time minus the slowest worker's compute + allreduce)",
  '',
  '| workers | spawn | median step ms | median worker ms | median overhead ms | p90 overhead ms |',
  '|---:|---|---:|---:|---:|---:|',
  ...allreduce.stepOverhead.map(
    (o) =>
      `| ${o.workers} | ${o.spawn} | ${f(o.medianStepMs, 2)} | ${f(o.medianWorkerMs, 2)} | ${f(o.medianOverheadMs, 2)} | ${f(o.p90OverheadMs, 2)} |`,
  ),
  '',
].join('\n');
writeFileSync(path.join(results, `${stamp}.md`), md);
process.stdout.write(md + `\nwritten: bench/results/${stamp}.json and .md\n`);
