/**
 * `npm run bench:allreduce`: ring allreduce bandwidth for N local ranks, each in its own worker_thread, against
 * two single links measured in the same run: one plain node:net TCP connection (the limit: the ring's data plane
 * is TCP) and one gRPC link (the ring's transport before it; same chunking and in-flight window); and against a
 * raw TCP ring: N threads connected by plain connections, each writing what a ring rank sends in an op while
 * reading as much (the CPU-fair limit: the ring's traffic on the same threads and cores, nothing else). The raw
 * receivers read with 'data' events (a fresh 64 KiB Buffer per read: the raw-TCP row, the goal's reference);
 * the "in place" rows repeat both with the ring's own read technique (onread into one reused chunk-sized buffer).
 * Linux's TCP stall counters (bench/tcpCounters.ts) are read around every op and reported per op.
 *
 * algbw = bytes / time, busbw = algbw * 2(N-1)/N (NCCL's definition: what each rank's link carries), time =
 * latest end - earliest start over the ranks of one op; medians over repeats. Writes a markdown table to stdout
 * and JSON to bench/results/allreduce-<timestamp>.json.
 *
 * Then the coordinator's overhead per step (bench/stepOverhead.ts): step wall time minus the slowest worker's
 * compute + allreduce, with a tiny model, for 1, 2 and 4 thread workers and 2 process workers; and what a batch's
 * assembly costs the asking thread in place and handed to the assembly thread (bench/assemblyHandoff.ts).
 *
 * Options: --ranks 2,3,4  --sizes-mb 1,4,16,64  --chunk-kb 1024  --inflight 4  --connections 1  --repeats 7  --warmup 2
 *          --settle-ms 500 (pause before each measurement: the previous one's threads finish their GC; without it
 *          the ring, measured after a gRPC push of the same size, ran at half its rate on the shared 2-core VM)
 *          --grpc-window-mb 16 (the gRPC link's HTTP/2 flow-control window)
 *          --overhead-steps 200 (0 skips the overhead table)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_RING_TUNING, type RingTuning } from '../src/worker/allreduce/index.js';
import { float32SumKind } from '../src/worker/allreduce/float32Sum.js';
import type { FromThread, ToThread } from './allreduceThread.js';
import { DEFAULT_GRPC_WINDOW_BYTES } from './grpcLinkOptions.js';
import { measureStepOverhead, overheadTable, type OverheadRow } from './stepOverhead.js';
import { handoffTable, measureAssemblyHandoff, type HandoffRow } from './assemblyHandoff.js';
import { readTcpCounters, tcpCountersDelta, type TcpCounters } from './tcpCounters.js';

const MB = 1024 * 1024;

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!key.startsWith('--') || argv[i + 1] === undefined)
      throw new Error(`bench:allreduce: expected --name value pairs, got '${argv.slice(i).join(' ')}'`);
    out[key.slice(2)] = argv[i + 1];
  }
  return out;
}

function numbers(value: string, what: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((v) => !(v > 0)))
    throw new Error(`bench:allreduce: --${what} must be positive numbers, got '${value}'`);
  return list;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A worker_thread with a request/reply helper (one outstanding request at a time). */
class Thread {
  private readonly worker: Worker;
  private readonly label: string;
  constructor(label: string) {
    this.label = label;
    this.worker = new Worker(new URL('./allreduceThread.js', import.meta.url));
  }
  request(msg: ToThread): Promise<FromThread> {
    return new Promise((resolve, reject) => {
      const onMessage = (r: FromThread): void => {
        this.worker.off('error', onError);
        if (r.type === 'failed') reject(new Error(`${this.label}: ${r.message}`));
        else resolve(r);
      };
      const onError = (err: Error): void => {
        this.worker.off('message', onMessage);
        reject(new Error(`${this.label} crashed: ${err.message}`, { cause: err }));
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage(msg);
    });
  }
  async close(): Promise<void> {
    await this.request({ type: 'close' });
    await this.worker.terminate();
  }
}

function address(r: FromThread): string {
  if (r.type !== 'listening') throw new Error(`expected 'listening', got '${r.type}'`);
  return r.address;
}
type Ran = Extract<FromThread, { type: 'ran' }>;
function ran(r: FromThread): Ran {
  if (r.type !== 'ran') throw new Error(`expected 'ran', got '${r.type}'`);
  return r;
}

/** One ring row of the JSON this bench writes (bench/all.ts reads it back). */
export interface Row {
  ranks: number;
  bytes: number;
  medianMs: number;
  algbwMBps: number;
  busbwMBps: number;
  linkMBps: number;
  /** Median over repeats of busbw / link throughput, each ring op paired with the link push before it. */
  busbwOverLink: number;
  /** One plain TCP connection, same sizes and write size. */
  tcpMBps: number;
  /** Median over repeats of busbw / raw TCP throughput, paired the same way. */
  busbwOverTcp: number;
  /** Raw TCP ring: what each thread's connection carries (a ring rank's bytes per op / time), like busbw. */
  rawRingMBps: number;
  /** Median over repeats of busbw / the raw TCP ring's per-connection rate, paired the same way. */
  busbwOverRawRing: number;
  /** The raw TCP row again, its receiver reading in place (onread into one reused chunk-sized buffer). */
  tcpInPlaceMBps: number;
  busbwOverTcpInPlace: number;
  /** The raw TCP ring again, its receivers reading in place. */
  rawRingInPlaceMBps: number;
  busbwOverRawRingInPlace: number;
  timesMs: number[];
  linkTimesMs: number[];
  tcpTimesMs: number[];
  rawRingTimesMs: number[];
  tcpInPlaceTimesMs: number[];
  rawRingInPlaceTimesMs: number[];
  /** Median CPU ms per op (every thread of the process: user + system), for each measurement. */
  cpuMs: { link: number; tcp: number; rawRing: number; ring: number; tcpInPlace: number; rawRingInPlace: number };
  /**
   * Median over repeats of busFactor · raw TCP CPU / ring CPU per op: busbw / raw TCP as it would be if both were
   * bound by the CPU of these cores alone, each keeping them all busy (an estimate that other processes' load does
   * not move, as it moves the wall times).
   */
  cpuBoundOverTcp: number;
  /** Median per op of Linux's TCP stall counters (whole machine), for the ring, raw TCP and the raw ring; absent off Linux. */
  tcpStalls?: { ring: TcpCounters; tcp: TcpCounters; rawRing: TcpCounters };
}

/** The two ends of a single gRPC link (same chunking and in-flight window as the ring; HTTP/2 window `windowBytes`). */
async function startLink(
  tuning: Required<RingTuning>,
  windowBytes: number,
): Promise<{ sender: Thread; receiver: Thread }> {
  const receiver = new Thread('link receiver');
  const sender = new Thread('link sender');
  const addr = address(await receiver.request({ type: 'listen-link', windowBytes }));
  await sender.request({ type: 'connect-link', address: addr, tuning, windowBytes });
  return { sender, receiver };
}

/** The two ends of one plain TCP connection (the receiver reading 'data' events, or in place). */
async function startTcp(tuning: Required<RingTuning>, inPlace: boolean): Promise<{ sender: Thread; receiver: Thread }> {
  const receiver = new Thread('tcp receiver');
  const sender = new Thread('tcp sender');
  const addr = address(await receiver.request({ type: 'listen-tcp', inPlace, chunkBytes: tuning.chunkBytes }));
  await sender.request({ type: 'connect-tcp', address: addr, chunkBytes: tuning.chunkBytes });
  return { sender, receiver };
}

/** N threads connected as a ring by plain TCP connections (bench/allreduceThread.ts, `raw-ring`). */
async function startRawRing(n: number, tuning: Required<RingTuning>, inPlace: boolean): Promise<Thread[]> {
  const threads = Array.from({ length: n }, (_, i) => new Thread(`raw ring thread ${i}`));
  const addresses = (
    await Promise.all(
      threads.map((t) => t.request({ type: 'listen-raw-ring', inPlace, chunkBytes: tuning.chunkBytes })),
    )
  ).map(address);
  await Promise.all(
    threads.map((t, i) =>
      t.request({
        type: 'connect-raw-ring',
        address: addresses[(i + 1) % n],
        worldSize: n,
        chunkBytes: tuning.chunkBytes,
      }),
    ),
  );
  return threads;
}

/** Wall time (latest end - earliest start over the threads) and CPU time (every thread of the process) of one op. */
interface OpCost {
  ms: number;
  cpuMs: number;
}

/**
 * Fills the buffers of `fill` (outside the measurement), then runs one op on `run` and measures it. The CPU time is
 * the whole process's (getrusage: user + system of every thread, the kernel's TCP work in their syscalls included;
 * the main thread only waits): unlike the wall time, it does not grow when other processes take the cores.
 */
async function measureOp(fill: Thread[], run: Thread[], bytes: number): Promise<{ cost: OpCost; results: Ran[] }> {
  await Promise.all(fill.map((t) => t.request({ type: 'fill', elements: bytes / 4 })));
  const cpu0 = process.cpuUsage();
  const results = (await Promise.all(run.map((t) => t.request({ type: 'run', elements: bytes / 4 })))).map(ran);
  const cpu = process.cpuUsage(cpu0);
  const ms = Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start));
  return { cost: { ms, cpuMs: (cpu.user + cpu.system) / 1000 }, results };
}

/** One op on every thread of a raw ring. */
async function rawRingOp(threads: Thread[], bytes: number): Promise<OpCost> {
  return (await measureOp(threads, threads, bytes)).cost;
}

function medianCounters(list: TcpCounters[]): TcpCounters {
  return {
    lossProbes: median(list.map((c) => c.lossProbes)),
    zeroWindows: median(list.map((c) => c.zeroWindows)),
    retransmits: median(list.map((c) => c.retransmits)),
  };
}

/** N ranks, each in its own thread, connected as a ring. */
async function startRing(n: number, tuning: Required<RingTuning>): Promise<Thread[]> {
  const threads = Array.from({ length: n }, (_, rank) => new Thread(`rank ${rank}`));
  const addresses = (await Promise.all(threads.map((t) => t.request({ type: 'listen-rank' })))).map(address);
  await Promise.all(
    threads.map((t, rank) => t.request({ type: 'connect-rank', runId: `bench-${n}`, rank, addresses, tuning })),
  );
  return threads;
}

/** One allreduce on every rank; checks the sum. */
async function ringOp(threads: Thread[], bytes: number): Promise<OpCost> {
  const n = threads.length;
  const expected = (n * (n + 1)) / 2;
  const { cost, results } = await measureOp(threads, threads, bytes);
  for (const [rank, r] of results.entries()) {
    if (r.firstValue !== expected || r.lastValue !== expected) {
      throw new Error(`N ${n}, ${bytes} bytes: rank ${rank} got ${r.firstValue}..${r.lastValue}, expected ${expected}`);
    }
  }
  return cost;
}

/** One push over a single link (gRPC or raw TCP) from its sender. */
async function linkOp(sender: Thread, bytes: number): Promise<OpCost> {
  return (await measureOp([sender], [sender], bytes)).cost;
}

/**
 * Ring ops, gRPC link pushes, raw TCP pushes and raw TCP ring ops of the same size alternate, so that load from
 * other processes on the machine affects all alike; each ratio is taken per repeat, then the median.
 */
async function measure(
  n: number,
  sizes: number[],
  tuning: Required<RingTuning>,
  repeats: number,
  warmup: number,
  settleMs: number,
  grpcWindowBytes: number,
): Promise<Row[]> {
  const link = await startLink(tuning, grpcWindowBytes);
  const tcp = await startTcp(tuning, false);
  const rawRing = await startRawRing(n, tuning, false);
  const tcpInPlace = await startTcp(tuning, true);
  const rawRingInPlace = await startRawRing(n, tuning, true);
  const threads = await startRing(n, tuning);
  const rows: Row[] = [];
  try {
    for (const bytes of sizes) {
      const ringMs: number[] = [];
      const linkMs: number[] = [];
      const tcpMs: number[] = [];
      const rawRingMs: number[] = [];
      const tcpInPlaceMs: number[] = [];
      const rawRingInPlaceMs: number[] = [];
      /** Per repeat, the CPU ms of each op, in the order of `ops` below. */
      const cpu: number[][] = [];
      const stalls: { ring: TcpCounters[]; tcp: TcpCounters[]; rawRing: TcpCounters[] } = {
        ring: [],
        tcp: [],
        rawRing: [],
      };
      for (let i = 0; i < warmup + repeats; i++) {
        // The order rotates, so that no measurement always follows the same one (and its leftover work: GC).
        const ops = [
          () => linkOp(link.sender, bytes),
          () => linkOp(tcp.sender, bytes),
          () => rawRingOp(rawRing, bytes),
          () => ringOp(threads, bytes),
          () => linkOp(tcpInPlace.sender, bytes),
          () => rawRingOp(rawRingInPlace, bytes),
        ];
        const costs: OpCost[] = ops.map(() => ({ ms: 0, cpuMs: 0 }));
        const counted: (TcpCounters | undefined)[] = ops.map(() => undefined);
        for (let j = 0; j < ops.length; j++) {
          const which = (i + j) % ops.length;
          // The previous measurement's threads finish their leftover work (GC) before the next one starts.
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          const before = readTcpCounters();
          costs[which] = await ops[which]();
          const after = readTcpCounters();
          counted[which] = before && after ? tcpCountersDelta(before, after) : undefined;
        }
        if (i >= warmup) {
          const ms = costs.map((c) => c.ms);
          cpu.push(costs.map((c) => c.cpuMs));
          linkMs.push(ms[0]);
          tcpMs.push(ms[1]);
          rawRingMs.push(ms[2]);
          ringMs.push(ms[3]);
          tcpInPlaceMs.push(ms[4]);
          rawRingInPlaceMs.push(ms[5]);
          const [, tcpStall, rawRingStall, ringStall] = counted;
          if (tcpStall && rawRingStall && ringStall) {
            stalls.tcp.push(tcpStall);
            stalls.rawRing.push(rawRingStall);
            stalls.ring.push(ringStall);
          }
        }
      }
      const mbps = (ms: number): number => bytes / MB / (ms / 1000);
      const busFactor = (2 * (n - 1)) / n;
      // What one raw-ring thread writes per op (whole floats, as the thread computes it).
      const rawRingBytes = Math.floor(busFactor * (bytes / 4)) * 4;
      const medianMs = median(ringMs);
      const rawRingRate = (ms: number): number => (rawRingBytes / bytes) * mbps(ms);
      /** Median over repeats of busbw / the reference's rate in the same repeat. */
      const over = (refMs: number[], rate: (ms: number) => number): number =>
        median(ringMs.map((ms, i) => (mbps(ms) * busFactor) / rate(refMs[i])));
      const linkMBps = mbps(median(linkMs));
      rows.push({
        ranks: n,
        bytes,
        medianMs,
        algbwMBps: mbps(medianMs),
        busbwMBps: mbps(medianMs) * busFactor,
        linkMBps,
        busbwOverLink: median(ringMs.map((ms, i) => (mbps(ms) * busFactor) / mbps(linkMs[i]))),
        tcpMBps: mbps(median(tcpMs)),
        busbwOverTcp: median(ringMs.map((ms, i) => (mbps(ms) * busFactor) / mbps(tcpMs[i]))),
        rawRingMBps: rawRingRate(median(rawRingMs)),
        busbwOverRawRing: over(rawRingMs, rawRingRate),
        tcpInPlaceMBps: mbps(median(tcpInPlaceMs)),
        busbwOverTcpInPlace: over(tcpInPlaceMs, mbps),
        rawRingInPlaceMBps: rawRingRate(median(rawRingInPlaceMs)),
        busbwOverRawRingInPlace: over(rawRingInPlaceMs, rawRingRate),
        timesMs: ringMs,
        linkTimesMs: linkMs,
        tcpTimesMs: tcpMs,
        rawRingTimesMs: rawRingMs,
        tcpInPlaceTimesMs: tcpInPlaceMs,
        rawRingInPlaceTimesMs: rawRingInPlaceMs,
        cpuMs: {
          link: median(cpu.map((c) => c[0])),
          tcp: median(cpu.map((c) => c[1])),
          rawRing: median(cpu.map((c) => c[2])),
          ring: median(cpu.map((c) => c[3])),
          tcpInPlace: median(cpu.map((c) => c[4])),
          rawRingInPlace: median(cpu.map((c) => c[5])),
        },
        cpuBoundOverTcp: median(cpu.map((c) => (busFactor * c[1]) / c[3])),
        ...(stalls.ring.length > 0
          ? {
              tcpStalls: {
                ring: medianCounters(stalls.ring),
                tcp: medianCounters(stalls.tcp),
                rawRing: medianCounters(stalls.rawRing),
              },
            }
          : {}),
      });
    }
  } finally {
    await Promise.all(
      [
        ...threads,
        ...rawRing,
        ...rawRingInPlace,
        link.sender,
        link.receiver,
        tcp.sender,
        tcp.receiver,
        tcpInPlace.sender,
        tcpInPlace.receiver,
      ].map((t) => t.close()),
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const ranksList = numbers(args.ranks ?? '2,3,4', 'ranks');
  const sizes = numbers(args['sizes-mb'] ?? '1,4,16,64', 'sizes-mb').map((mb) => Math.round((mb * MB) / 4) * 4);
  const repeats = Number(args.repeats ?? 7);
  const warmup = Number(args.warmup ?? 2);
  const settleMs = Number(args['settle-ms'] ?? 500);
  const grpcWindowBytes = args['grpc-window-mb'] ? Number(args['grpc-window-mb']) * MB : DEFAULT_GRPC_WINDOW_BYTES;
  const tuning: Required<RingTuning> = {
    ...DEFAULT_RING_TUNING,
    chunkBytes: args['chunk-kb'] ? Number(args['chunk-kb']) * 1024 : DEFAULT_RING_TUNING.chunkBytes,
    maxInflightChunks: args.inflight ? Number(args.inflight) : DEFAULT_RING_TUNING.maxInflightChunks,
    connections: args.connections ? Number(args.connections) : DEFAULT_RING_TUNING.connections,
  };

  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const rows: Row[] = [];
  for (const n of ranksList)
    rows.push(...(await measure(n, sizes, tuning, repeats, warmup, settleMs, grpcWindowBytes)));

  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `\nRing allreduce over TCP, ${cpus.length} CPU(s) (${cpus[0]?.model ?? 'unknown'}), Node ${process.version}, chunk ${tuning.chunkBytes / 1024} KiB, sum in ${float32SumKind()}, ` +
      `${tuning.maxInflightChunks} chunks in flight over ${tuning.connections} connection(s) per neighbour, median of ${repeats} ` +
      `(after ${warmup} warm-up), load average ${loadBefore} before, ${load} after\n`,
  );
  console.log(
    '| ranks | size | median time | algbw | busbw | raw TCP | busbw / raw TCP | raw TCP ring | busbw / raw TCP ring | gRPC link | busbw / gRPC link | N·busbw / raw TCP |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.ranks} | ${r.bytes / MB} MiB | ${r.medianMs.toFixed(1)} ms | ${r.algbwMBps.toFixed(0)} MiB/s | ${r.busbwMBps.toFixed(0)} MiB/s ` +
        `| ${r.tcpMBps.toFixed(0)} MiB/s | ${(100 * r.busbwOverTcp).toFixed(0)}% | ${r.rawRingMBps.toFixed(0)} MiB/s | ${(100 * r.busbwOverRawRing).toFixed(0)}% ` +
        `| ${r.linkMBps.toFixed(0)} MiB/s | ${(100 * r.busbwOverLink).toFixed(0)}% | ${(100 * r.ranks * r.busbwOverTcp).toFixed(0)}% |`,
    );
  }
  console.log(
    `\nbusbw: NCCL's bus bandwidth (what each rank's link carries). raw TCP: one node:net connection, the buffer written in` +
      ` chunk-sized writes, the receiver only counting; gRPC link: PushChunk calls with the same chunking and window, the` +
      ` receiver summing. Each ratio is the median of per-repeat ratios. N·busbw / raw TCP: all N ring links together over one` +
      ` link. raw TCP ring: N threads on plain connections, each writing what a ring rank sends per op (2(N-1)/N of the` +
      ` buffer) while reading as much, receivers only counting; its rate is per connection, like busbw: the CPU-fair limit` +
      ` (the ring's traffic on the same ${cpus.length} cores, without framing, summing or waiting on a neighbour's chunk).`,
  );
  console.log(
    `\nThe raw rows again, their receivers reading in place as the ring's RingServer does (onread into one reused` +
      ` ${tuning.chunkBytes / 1024} KiB buffer instead of a fresh 64 KiB Buffer per read); the goal's reference stays the` +
      ` raw TCP row above\n`,
  );
  console.log('| ranks | size | busbw | raw TCP, in place | busbw / it | raw TCP ring, in place | busbw / it |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.ranks} | ${r.bytes / MB} MiB | ${r.busbwMBps.toFixed(0)} MiB/s | ${r.tcpInPlaceMBps.toFixed(0)} MiB/s | ${(100 * r.busbwOverTcpInPlace).toFixed(0)}% ` +
        `| ${r.rawRingInPlaceMBps.toFixed(0)} MiB/s | ${(100 * r.busbwOverRawRingInPlace).toFixed(0)}% |`,
    );
  }
  console.log(
    `\nCPU per op (median; user + system time of every thread of this process, the kernel's TCP work in their` +
      ` syscalls included: other processes' load does not add to it as it adds to wall times). If the ring and the` +
      ` raw TCP row were both bound by these ${cpus.length} cores' CPU, each keeping them busy, busbw / raw TCP would` +
      ` be busFactor · raw TCP CPU / ring CPU\n`,
  );
  console.log(
    '| ranks | size | ring | raw TCP | raw TCP ring | raw TCP, in place | raw TCP ring, in place | busbw / raw TCP if CPU-bound |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const c = r.cpuMs;
    console.log(
      `| ${r.ranks} | ${r.bytes / MB} MiB | ${c.ring.toFixed(0)} ms | ${c.tcp.toFixed(0)} ms | ${c.rawRing.toFixed(0)} ms ` +
        `| ${c.tcpInPlace.toFixed(0)} ms | ${c.rawRingInPlace.toFixed(0)} ms | ${(100 * r.cpuBoundOverTcp).toFixed(0)}% |`,
    );
  }
  if (rows.some((r) => r.tcpStalls)) {
    console.log(
      `\nTCP stalls per op (median; Linux's counters for the whole machine, other processes' traffic included):` +
        ` tail-loss probes (a sender waited a probe timeout for an ACK), zero-window advertisements (a receiver's` +
        ` buffer full), retransmitted segments\n`,
    );
    console.log('| ranks | size | ring: probes / zero windows / retransmits | raw TCP | raw TCP ring |');
    console.log('|---:|---:|---:|---:|---:|');
    const show = (c: TcpCounters): string => `${c.lossProbes} / ${c.zeroWindows} / ${c.retransmits}`;
    for (const r of rows) {
      if (!r.tcpStalls) continue;
      console.log(
        `| ${r.ranks} | ${r.bytes / MB} MiB | ${show(r.tcpStalls.ring)} | ${show(r.tcpStalls.tcp)} | ${show(r.tcpStalls.rawRing)} |`,
      );
    }
  }
  const overheadSteps = Number(args['overhead-steps'] ?? 200);
  let overhead: OverheadRow[] = [];
  let handoff: HandoffRow[] = [];
  if (overheadSteps > 0) {
    overhead = await measureStepOverhead(
      [
        // fit's default for --workers 1 on wasm/cpu: the worker in the coordinator's thread, no RPC and no wake-up
        { workers: 1, spawn: 'inline' },
        { workers: 1, spawn: 'thread' },
        { workers: 2, spawn: 'thread' },
        { workers: 4, spawn: 'thread' },
        { workers: 2, spawn: 'process' },
      ],
      overheadSteps,
      20,
    );
    console.log(
      `\nCoordinator overhead per step (step wall time minus the slowest worker's compute + allreduce), mlp on 4x4 inputs` +
        ` (${overhead[0]?.parameters} parameters), global batch 32, cpu backend, loopback gRPC, ${overheadSteps} steps after 20 warm-up. ` +
        `raw TCP floor: one byte's round trip over a plain TCP connection to a thread busy for the median worker time, minus ` +
        `that time (bench/wakeFloor.ts): what waking the waiting side costs on this machine, before gRPC adds its own\n`,
    );
    console.log(overheadTable(overhead));
    handoff = await measureAssemblyHandoff();
    console.log(
      "\nBatch assembly (bench/assemblyHandoff.ts): the asking thread's CPU time per batch, in place or handed to the " +
        "assembly thread (prefetched), mean over 300 batches; the overhead rows' batches are assembled in place\n",
    );
    console.log(handoffTable(handoff));
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const resultsDir = path.resolve(here, '../../bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `allreduce-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        bench: 'allreduce',
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus.length,
        cpuModel: cpus[0]?.model,
        loadAverageBefore: loadBefore,
        loadAverageAfter: load,
        tuning,
        sum: float32SumKind(),
        grpcWindowBytes,
        repeats,
        warmup,
        settleMs,
        units: { bytes: 'bytes', times: 'ms', bandwidth: 'MiB/s (2^20 bytes per second)' },
        rows,
        stepOverhead: overhead,
        assemblyHandoff: handoff,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench:allreduce failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
