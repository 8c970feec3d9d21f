/**
 * The bad-input sweep of issue 16: every case of the issue run against the built CLI, one process each, printed as
 * a table: case | exit code | first line of the message | verdict. A case is handled when the exit code is the one
 * expected, the message says what it should, and no stack trace is printed (and, where a case says so, its extra
 * check holds: no orphaned worker, nothing overwritten). Exits 1 when any case is not handled.
 *   npm run sweep:bad-input            (about 3-6 minutes on 2 cores; CASE=substring runs the matching cases only)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { encodeIdx } from '../src/data/index.js';
import { saveModel } from '../src/worker/index.js';
import { alive, childrenOf } from './procTree.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const STACK = /\n\s+at [^\n]*\(?(file|node):/;
const root = mkdtempSync(path.join(os.tmpdir(), 'sc-sweep-'));
const M = ['--model', 'mlp', '--backend', 'cpu', '--no-plots'];
const TOKEN_A = 'sweep-token-aaaaaaaaaaaaaaaa';
const TOKEN_B = 'sweep-token-bbbbbbbbbbbbbbbb';

interface Run {
  code: number;
  output: string;
}
interface Case {
  item: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  code: number;
  /** What the message must say. */
  message: RegExp;
  /** While it runs (send a signal once a log line is out, ...). */
  during?: (child: ChildProcess, output: () => string) => Promise<void>;
  /** After it ran: a failure to report, or undefined. */
  check?: (r: Run) => string | undefined | Promise<string | undefined>;
  limitMs?: number;
}

function run(c: Case): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...c.args], {
    env: { ...process.env, ...c.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), c.limitMs ?? 180_000);
  const exited = new Promise<Run>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] : 0), output });
    }),
  );
  if (c.during)
    void c
      .during(child, () => output)
      .catch((e: unknown) => {
        output += `\n[sweep] ${String(e)}\n`;
        child.kill('SIGKILL');
      });
  return exited;
}

async function until(what: string, ok: () => boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const signalWhen =
  (line: RegExp, signal: NodeJS.Signals) =>
  async (child: ChildProcess, output: () => string): Promise<void> => {
    await until(String(line), () => line.test(output()), 120_000);
    child.kill(signal);
  };

/** A TCP server on 127.0.0.1 that accepts connections and never answers (or, listening, just holds a port). */
async function silentServer(): Promise<{ port: number; close(): void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      server.close();
    },
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const s = await silentServer();
  s.close();
  return s.port;
}

/** Fixtures: an IDX dataset with one label 200, a 5-output model, a file where a directory should be. */
async function fixtures(): Promise<{ badLabels: string; fiveOutputs: string; aFile: string }> {
  const badLabels = path.join(root, 'idx-label-200');
  mkdirSync(badLabels);
  for (const [prefix, n] of [
    ['train', 200],
    ['t10k', 50],
  ] as const) {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    if (prefix === 'train') labels[7] = 200;
    writeFileSync(
      path.join(badLabels, `${prefix}-images-idx3-ubyte`),
      encodeIdx(
        [n, 8, 8],
        Uint8Array.from({ length: n * 64 }, (_, i) => (i * 7) % 256),
      ),
    );
    writeFileSync(path.join(badLabels, `${prefix}-labels-idx1-ubyte`), encodeIdx([n], labels));
  }
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 5, activation: 'softmax' })],
  });
  const fiveOutputs = await saveModel(model, path.join(root, 'five-outputs'));
  model.dispose();
  const aFile = path.join(root, 'a-file');
  writeFileSync(aFile, 'not a directory\n');
  return { badLabels, fiveOutputs, aFile };
}

async function main(): Promise<number> {
  const f = await fixtures();
  const b4 = path.join(root, 'b4');
  const portInUse = await silentServer();
  const noGrpc = await silentServer();
  const checkpoints = (): string[] =>
    existsSync(path.join(b4, 'checkpoints')) ? readdirSync(path.join(b4, 'checkpoints')) : [];
  let b4Checkpoints: string[] = [];
  const truncated = path.join(root, 'truncated');
  const tokenCoordinator: { child?: ChildProcess; address?: string } = {};
  let orphanReport = '';
  const cases: Case[] = [
    // Bad (must be fixed)
    {
      item: '1 coordinator waiting for workers, one SIGTERM',
      args: [
        'fit',
        ...M,
        '--iterations',
        '20',
        '--world-size',
        '1',
        '--listen',
        `127.0.0.1:${await freePort()}`,
        '--out',
        path.join(root, 'b5'),
      ],
      code: 143,
      message: /SIGTERM while waiting for 1 worker\(s\) to join .*stopped before the first step/,
      during: signalWhen(/waiting for 1 worker/, 'SIGTERM'),
      check: (r) => (/after the step in flight/.test(r.output) ? 'promised a checkpoint it cannot write' : undefined),
    },
    {
      item: '1 coordinator waiting for workers, one SIGINT',
      args: [
        'fit',
        ...M,
        '--iterations',
        '20',
        '--world-size',
        '1',
        '--listen',
        `127.0.0.1:${await freePort()}`,
        '--out',
        path.join(root, 'b5i'),
      ],
      code: 130,
      message: /SIGINT while waiting for 1 worker\(s\) to join .*stopped before the first step/,
      during: signalWhen(/waiting for 1 worker/, 'SIGINT'),
    },
    {
      item: '1 worker waiting to join, one SIGTERM',
      args: ['worker', '--join', `127.0.0.1:${await freePort()}`],
      code: 143,
      message: /SIGTERM: worker exiting/,
      during: signalWhen(/retrying every/, 'SIGTERM'),
    },
    {
      item: '2 a first run into --out b4',
      args: ['fit', ...M, '--iterations', '20', '--out', b4],
      code: 0,
      message: /done: results in/,
      check: () => {
        b4Checkpoints = checkpoints();
        return b4Checkpoints.length ? undefined : 'no checkpoint';
      },
    },
    {
      item: '2 a second run into the same --out',
      args: ['fit', ...M, '--iterations', '3', '--out', b4],
      code: 2,
      message: /already holds a run .*--resume .*--overwrite/,
      check: () =>
        JSON.stringify(checkpoints()) === JSON.stringify(b4Checkpoints)
          ? undefined
          : "the first run's checkpoints changed",
    },
    {
      item: '2 --resume of b4 (the first run, intact)',
      args: ['fit', '--resume', b4, '--no-plots'],
      code: 0,
      message: /done: results in/,
    },
    {
      item: '2 --overwrite replaces the run',
      args: ['fit', ...M, '--iterations', '3', '--out', b4, '--overwrite'],
      code: 0,
      message: /done: results in/,
      check: () =>
        JSON.stringify(checkpoints()) === '["step-000000003.ckpt"]'
          ? undefined
          : `checkpoints ${checkpoints().join(',')}`,
    },
    {
      item: '3 --iterations 0',
      args: ['fit', ...M, '--iterations', '0'],
      code: 2,
      message: /--iterations takes a whole number from 1 to 2147483647, got '0'/,
    },
    {
      item: '4 a label 200 among 0..9 (idx:DIR)',
      args: [
        'fit',
        ...M,
        '--data',
        `idx:${f.badLabels}`,
        '--iterations',
        '1',
        '--batch-size',
        '10',
        '--out',
        path.join(root, 'labels'),
      ],
      code: 1,
      message: /label 200 \(1 example\) lies beyond that gap/,
    },
    {
      item: '5 --model with 5 outputs on 10 classes',
      args: [
        'fit',
        ...M.filter((a) => a !== 'mlp' && a !== '--model'),
        '--model',
        f.fiveOutputs,
        '--iterations',
        '1',
        '--out',
        path.join(root, 'five'),
      ],
      code: 2,
      message: /has 5 outputs, but the data has 10 classes/,
    },
    {
      item: '5 the same on 2 worker processes (their log: fit failed)',
      args: [
        'fit',
        ...M.filter((a) => a !== 'mlp' && a !== '--model'),
        '--model',
        f.fiveOutputs,
        '--iterations',
        '1',
        '--workers',
        '2',
        '--spawn',
        'process',
        '--out',
        path.join(root, 'five2'),
      ],
      code: 2,
      message: /has 5 outputs, but the data has 10 classes/,
      check: (r) => (/fit finished/.test(r.output) ? 'a worker logged "fit finished" for a failed run' : undefined),
    },
    {
      item: '6 SUPERCONVERGE_STEP_DEADLINE_MS=1e99',
      args: ['fit', ...M, '--iterations', '1', '--workers', '2', '--out', path.join(root, 'd1')],
      env: { SUPERCONVERGE_STEP_DEADLINE_MS: '1e99' },
      code: 2,
      message: /SUPERCONVERGE_STEP_DEADLINE_MS must be a whole number of milliseconds from 1 to 2147483647/,
    },
    {
      item: '6 SUPERCONVERGE_STEP_DEADLINE_MS=3000000000',
      args: ['fit', ...M, '--iterations', '1', '--out', path.join(root, 'd2')],
      env: { SUPERCONVERGE_STEP_DEADLINE_MS: '3000000000' },
      code: 2,
      message: /SUPERCONVERGE_STEP_DEADLINE_MS must be a whole number/,
    },
    {
      item: '6 a deadline variable on a run without gRPC',
      args: ['fit', ...M, '--iterations', '1', '--out', path.join(root, 'd3')],
      env: { SUPERCONVERGE_RING_PEER_TIMEOUT_MS: '-5' },
      code: 2,
      message: /SUPERCONVERGE_RING_PEER_TIMEOUT_MS must be/,
    },
    {
      item: '7 coordinator SIGKILLed: its worker processes',
      args: [
        'fit',
        ...M,
        '--iterations',
        '100000',
        '--batch-size',
        '32',
        '--workers',
        '2',
        '--spawn',
        'process',
        '--out',
        path.join(root, 'orphans'),
      ],
      env: { SUPERCONVERGE_LIVENESS_TIMEOUT_MS: '3600000' },
      code: 137,
      message: /all 2 workers joined/,
      during: async (child, output) => {
        await until('the workers to join', () => /all 2 workers joined/.test(output()), 120_000);
        const workers = childrenOf(child.pid!);
        child.kill('SIGKILL');
        const killed = Date.now();
        await until('the workers to exit', () => !workers.some(alive), 30_000).catch(() => undefined);
        orphanReport = `${workers.filter(alive).length} of ${workers.length} workers alive ${Date.now() - killed} ms after the SIGKILL`;
      },
      check: () => (/^0 of 2 /.test(orphanReport) ? undefined : orphanReport),
    },
    // Weak (clear message, right exit code, right time)
    { item: '--lr 1e308', args: ['fit', ...M, '--lr', '1e308'], code: 2, message: /--lr 1e\+308 is out of range/ },
    {
      item: '--batch-size=-5',
      args: ['fit', ...M, '--batch-size=-5'],
      code: 2,
      message: /--batch-size takes a whole number from 1 to 2147483647, got '-5'/,
    },
    {
      item: '--batch-size 0',
      args: ['fit', ...M, '--batch-size', '0'],
      code: 2,
      message: /--batch-size takes a whole number from 1 to 2147483647, got '0'/,
    },
    {
      item: '--epochs=-1',
      args: ['fit', ...M, '--epochs=-1'],
      code: 2,
      message: /--epochs takes a whole number from 1/,
    },
    {
      item: '--epochs 0',
      args: ['fit', ...M, '--epochs', '0'],
      code: 2,
      message: /--epochs takes a whole number from 1/,
    },
    {
      item: '--workers 0',
      args: ['fit', ...M, '--workers', '0'],
      code: 2,
      message: /--workers takes a whole number from 1/,
    },
    {
      item: '--workers=-2',
      args: ['fit', ...M, '--workers=-2'],
      code: 2,
      message: /--workers takes a whole number from 1/,
    },
    {
      item: '--iterations 1e20',
      args: ['fit', ...M, '--iterations', '1e20'],
      code: 2,
      message: /--iterations takes a whole number from 1 to 2147483647, got '1e20'/,
    },
    {
      item: '--schedule step --step-at 1.5,0.2',
      args: ['fit', ...M, '--schedule', 'step', '--step-at', '1.5,0.2'],
      code: 2,
      message: /--step-at takes increasing fractions of the run in \(0, 1\)/,
    },
    {
      item: '--listen on a port in use',
      args: [
        'fit',
        ...M,
        '--iterations',
        '1',
        '--world-size',
        '1',
        '--listen',
        `127.0.0.1:${portInUse.port}`,
        '--out',
        path.join(root, 'inuse'),
      ],
      code: 1,
      message: /could not listen on 127\.0\.0\.1:\d+: the port is in use/,
    },
    {
      item: '--gpus 0,1 --backend cpu',
      args: ['fit', ...M, '--gpus', '0,1'],
      code: 2,
      message: /--backend cpu does not use a GPU/,
    },
    {
      item: '--gpus 0,1 (backend auto, no GPU)',
      args: [
        'fit',
        '--model',
        'mlp',
        '--no-plots',
        '--gpus',
        '0,1',
        '--iterations',
        '1',
        '--out',
        path.join(root, 'gpus'),
      ],
      code: 0,
      message: /--gpus 0,1: the workers run on \w+, which does not use a GPU/,
    },
    {
      item: '--tensorboard pointing at a file',
      args: ['fit', ...M, '--iterations', '1', '--tensorboard', f.aFile, '--out', path.join(root, 'tb')],
      code: 2,
      message: /--tensorboard .*a-file is a file, not a directory/,
      check: (r) => (/fit mlp on/.test(r.output) ? 'training started first' : undefined),
    },
    {
      item: '--data nonsense:thing',
      args: ['fit', ...M, '--data', 'nonsense:thing'],
      code: 2,
      message: /--data "nonsense:thing": unknown dataset/,
    },
    {
      item: '--data nonsense:thing with --listen',
      args: ['fit', ...M, '--data', 'nonsense:thing', '--world-size', '1', '--listen', `127.0.0.1:${await freePort()}`],
      code: 2,
      message: /--data "nonsense:thing": unknown dataset/,
      check: (r) => (/waiting for/.test(r.output) ? 'it listened first' : undefined),
    },
    {
      item: '--model resnet99',
      args: ['fit', '--model', 'resnet99', '--backend', 'cpu'],
      code: 2,
      message: /--model resnet99: no built-in model of that name \(resnet-mini, resnet20, resnet56, cnn, mlp\)/,
    },
    {
      item: 'a truncated weights.bin',
      args: [
        'fit',
        ...M.filter((a) => a !== 'mlp' && a !== '--model'),
        '--model',
        path.join(truncated, 'model.json'),
        '--iterations',
        '1',
        '--out',
        path.join(root, 'trunc'),
      ],
      code: 1,
      message: /weights\.bin is truncated: \d+ bytes, the manifest's \d+ weights need \d+/,
    },
    {
      item: '--out an existing file',
      args: ['fit', ...M, '--out', f.aFile],
      code: 2,
      message: /--out .*a-file is a file, not a directory/,
    },
    {
      item: '--out a path under a file',
      args: ['fit', ...M, '--out', path.join(f.aFile, 'run')],
      code: 2,
      message: /--out .*cannot be created: .*a-file is a file/,
    },
    {
      item: '--resume of a missing directory',
      args: ['fit', '--resume', path.join(root, 'missing')],
      code: 2,
      message: /--resume .*missing: no such directory/,
    },
    {
      item: 'fit --resume DIR --out OTHER',
      args: ['fit', '--resume', b4, '--out', path.join(root, 'other')],
      code: 2,
      message: /--resume continues the run in its own directory .*drop --out/,
    },
    {
      item: 'worker --join to nothing (says it retries, and where)',
      args: ['worker', '--join', `127.0.0.1:${await freePort()}`],
      env: { SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS: '3000' },
      code: 1,
      message: /cannot reach the coordinator at 127\.0\.0\.1:\d+ \(after \d+ tries\)/,
      check: (r) => (/not reachable yet .*retrying every 500 ms until/.test(r.output) ? undefined : 'no retry message'),
    },
    {
      item: 'a worker with a wrong token',
      args: ['worker', '--join', 'TOKEN_COORDINATOR'],
      env: { SUPERCONVERGE_TOKEN: TOKEN_B },
      code: 1,
      message: /UNAUTHENTICATED/,
    },
    {
      item: 'a port that accepts TCP but speaks no gRPC',
      args: ['worker', '--join', `127.0.0.1:${noGrpc.port}`],
      env: { SUPERCONVERGE_JOIN_DEADLINE_MS: '2000', SUPERCONVERGE_RENDEZVOUS_TIMEOUT_MS: '5000' },
      code: 1,
      message: /no superconverge coordinator answered/,
    },
    {
      item: 'lr-find with too few points',
      args: ['lr-find', ...M, '--num-it', '8', '--out', path.join(root, 'lrf')],
      code: 0,
      message: /no recommendation/,
      check: (r) => (/recommended max lr/.test(r.output) ? 'it still recommended an lr' : undefined),
    },
    {
      item: 'lr-find --help lists each flag once',
      args: ['lr-find', '--help'],
      code: 0,
      message: /--layer-groups --freeze-to/,
      check: (r) =>
        (r.output.match(/--layer-groups/g) ?? []).length === 1 ? undefined : '--layer-groups listed twice',
    },
    {
      item: 'fit --help documents --spawn inline',
      args: ['fit', '--help'],
      code: 0,
      message: /--spawn thread\|process\|inline/,
    },
    {
      item: 'a batch larger than the training split (fit)',
      args: ['fit', ...M, '--batch-size', '7000', '--out', path.join(root, 'big')],
      code: 2,
      message: /--batch-size 7000 is larger than the training split \(6000 examples/,
    },
    {
      item: 'a batch larger than the training split (lr-find)',
      args: ['lr-find', ...M, '--batch-size', '7000', '--out', path.join(root, 'big2')],
      code: 2,
      message: /--batch-size 7000 is larger than the training split \(6000 examples/,
    },
  ];
  const only = process.env.CASE;
  const rows: string[] = ['| case | exit code | first line of the message | verdict |', '|---|---:|---|---|'];
  let failed = 0;
  for (const c of cases.filter((k) => !only || k.item.includes(only))) {
    if (c.item.startsWith('a truncated')) {
      // The first run's model, its weights.bin cut short by 100 bytes.
      mkdirSync(truncated, { recursive: true });
      copyFileSync(path.join(b4, 'model', 'model.json'), path.join(truncated, 'model.json'));
      const w = readFileSync(path.join(b4, 'model', 'weights.bin'));
      writeFileSync(path.join(truncated, 'weights.bin'), w.subarray(0, w.byteLength - 100));
    }
    if (c.args.includes('TOKEN_COORDINATOR')) {
      const port = await freePort();
      tokenCoordinator.address = `127.0.0.1:${port}`;
      tokenCoordinator.child = spawn(
        process.execPath,
        [
          CLI,
          'fit',
          ...M,
          '--iterations',
          '1',
          '--world-size',
          '1',
          '--listen',
          tokenCoordinator.address,
          '--out',
          path.join(root, 'tok'),
        ],
        { env: { ...process.env, SUPERCONVERGE_TOKEN: TOKEN_A }, stdio: 'ignore' },
      );
      for (let t = 0; t < 600 && !(await accepts(port)); t++) await new Promise((r) => setTimeout(r, 100));
      c.args = c.args.map((a) => (a === 'TOKEN_COORDINATOR' ? tokenCoordinator.address! : a));
    }
    const r = await run(c);
    tokenCoordinator.child?.kill('SIGKILL');
    tokenCoordinator.child = undefined;
    const lines = r.output.split('\n');
    const line =
      lines.find((l) => c.message.test(l)) ?? lines.find((l) => /superconverge:|ERROR|WARN/.test(l)) ?? lines[0] ?? '';
    const problems = [
      r.code !== c.code && `exit ${r.code}, not ${c.code}`,
      !c.message.test(r.output) && `no ${c.message}`,
      STACK.test(r.output) && 'stack trace',
      await c.check?.(r),
    ].filter(Boolean);
    if (problems.length) failed++;
    const shown = line
      .replace(/^\d\d:\d\d:\d\d /, '')
      .replaceAll(root, '$TMP')
      .replaceAll('|', '\\|')
      .slice(0, 150);
    rows.push(
      `| ${c.item} | ${r.code} | ${shown} | ${problems.length ? `NOT HANDLED: ${problems.join('; ')}` : 'handled'} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  portInUse.close();
  noGrpc.close();
  process.stdout.write(`\n${rows.join('\n')}\n\n${rows.length - 2 - failed} of ${rows.length - 2} cases handled\n`);
  rmSync(root, { recursive: true, force: true });
  return failed ? 1 : 0;
}

process.exitCode = await main();
