/**
 * The shipped Slurm script on a real single-node Slurm (Debian's slurm-wlm and munge, started by SlurmCluster):
 * submitted unchanged, with fit flags as its arguments, it trains with 2 tasks; a job whose rank 1 is killed fails
 * with an error naming the rank and saying how to resume. Skips (saying why) where the daemons cannot run.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseJsonLines } from '../log/parseStrictJson.js';
import { SlurmCluster, slurmUnavailable } from './slurmCluster.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = 'deploy/slurm/superconverge.sbatch';
// Small and fast: the mlp on the shipped sample, cpu backend.
const FIT = [
  '--backend',
  'cpu',
  '--model',
  'mlp',
  '--data',
  'sample',
  '--batch-size',
  '64',
  '--no-augment',
  '--no-plots',
];

/** The submitting shell's environment: nothing of ours that the script should make itself. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      k.startsWith('SLURM_') ||
      k.startsWith('SUPERCONVERGE_') ||
      ['MASTER_ADDR', 'MASTER_PORT', 'RANK', 'WORLD_SIZE'].includes(k)
    )
      delete env[k];
  }
  return env;
}

/** The pids of the job's task `rank` (found through /proc: the environment Slurm gave it). */
function taskPids(jobId: string, rank: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (
        env.includes(`SLURM_JOB_ID=${jobId}`) &&
        env.includes(`SLURM_PROCID=${rank}`) &&
        env.includes('SLURM_STEP_ID=0') &&
        readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes('dist/src/cli/main.js')
      )
        pids.push(Number(entry));
    } catch {
      // the process ended meanwhile, or is not ours to read: not the task
    }
  }
  return pids;
}

const lineCount = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

const skip = await slurmUnavailable();
if (skip) process.stdout.write(`skipping the Slurm tests: ${skip}\n`);

describe('deploy/slurm/superconverge.sbatch on a single-node Slurm (2 CPUs)', { skip, timeout: 240_000 }, () => {
  let cluster: SlurmCluster | undefined;
  before(async () => {
    cluster = await SlurmCluster.start();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('submitted unchanged, with fit flags as arguments, it trains with 2 tasks and logs strict JSON', async () => {
    const c = cluster!;
    const run = path.join(c.dir, 'run-ok');
    const iterations = 20;
    const id = c.submit(
      [`--output=${c.dir}/job-%j.out`, SCRIPT, ...FIT, '--iterations', String(iterations), '--out', run],
      repo,
      userEnv(),
    );
    const end = await c.waitForJob(id, 120_000);
    const output = readFileSync(path.join(c.dir, `job-${id}.out`), 'utf8');
    assert.deepEqual(end, { state: 'COMPLETED', exitCode: '0:0' }, output);

    const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8')) as {
      workers: number;
      iterations: number;
      accuracy: number;
      backend: string;
    };
    assert.equal(summary.workers, 2);
    assert.equal(summary.iterations, iterations);
    assert.equal(summary.backend, 'cpu');
    assert.ok(summary.accuracy > 0.5, `accuracy ${summary.accuracy} after ${iterations} steps of the mlp`);
    const metrics = readFileSync(path.join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { iteration: number });
    assert.deepEqual(
      metrics.map((m) => m.iteration),
      [...Array(iterations).keys()],
    );

    // The job's output: every task's JSON log lines, each key once; both ranks joined; the token never shown.
    const lines = parseJsonLines(output);
    const joined = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('joined run '));
    assert.deepEqual(joined.map((l) => l.rank).sort(), [0, 1]);
    // Rank 0 says where other workers join: the job's first node at its MASTER_PORT, not the bound 0.0.0.0.
    const waiting = lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('waiting for 1 worker(s) to join'));
    assert.match(String(waiting?.msg), /--join (?!0\.0\.0\.0)[\w.-]+:\d+$/);
    assert.doesNotMatch(output, /[0-9a-f]{64}/, 'the job token appears in the output');
  });

  test('a job whose rank 1 is killed mid-run fails naming rank 1 and saying how to resume', async () => {
    const c = cluster!;
    const run = path.join(c.dir, 'run-kill');
    const id = c.submit(
      [`--output=${c.dir}/job-%j.out`, SCRIPT, ...FIT, '--iterations', '5000', '--checkpoint-every', '2', '--out', run],
      repo,
      userEnv(),
    );
    // Kill rank 1 once the run is under way with a checkpoint written.
    let victims: number[] = [];
    for (const until = Date.now() + 90_000; Date.now() < until; await sleep(200)) {
      const checkpoints = existsSync(path.join(run, 'checkpoints')) ? readdirSync(path.join(run, 'checkpoints')) : [];
      if (checkpoints.length && lineCount(path.join(run, 'metrics.jsonl')) >= 4) {
        victims = taskPids(id, 1);
        if (victims.length) break;
      }
      const state = c.job(id).state;
      if (!['PENDING', 'CONFIGURING', 'RUNNING'].includes(state)) {
        assert.fail(
          `job ${id} is ${state} before rank 1 could be killed:\n${readFileSync(path.join(c.dir, `job-${id}.out`), 'utf8')}`,
        );
      }
    }
    assert.ok(victims.length, `rank 1 of job ${id} was not found running with a checkpoint written`);
    for (const pid of victims) process.kill(pid, 'SIGKILL');

    const end = await c.waitForJob(id, 90_000);
    const output = readFileSync(path.join(c.dir, `job-${id}.out`), 'utf8');
    assert.equal(end.state, 'FAILED', output);
    assert.match(output, /worker rank 1 \(\S+\) failed in \w+/, output);
    const runPattern = run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(output, new RegExp(`continue with: superconverge fit --resume ${runPattern}\n`), output);
    // The script says it the Slurm way: the same submission, plus --resume.
    assert.match(
      output,
      new RegExp(
        `\n  sbatch \\[its sbatch options\\] \\S*/deploy/slurm/superconverge\\.sbatch --backend cpu .*--resume ${runPattern}\n`,
      ),
      output,
    );
    assert.equal(existsSync(path.join(run, 'summary.json')), false);
  });
});
