/**
 * A throwaway single-node Slurm for tests: munged, slurmctld and slurmd from Debian's packages (slurm-wlm, munge),
 * with their key, config, sockets, state and logs in one temporary folder, on free ports; the node is this host,
 * with 2 CPUs. Client commands (sbatch, squeue, scontrol) reach it through SLURM_CONF in `env`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const DAEMONS = ['munged', 'slurmctld', 'slurmd', 'slurmstepd'];
const CLIENTS = ['sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo'];
const FINISHED = [
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
];

export interface JobEnd {
  state: string;
  exitCode: string;
}

/** The program's path on PATH or in /usr/sbin (root's PATH may lack it), or undefined. */
function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'];
  return dirs.map((d) => path.join(d, name)).find((p) => path.isAbsolute(p) && existsSync(p));
}

/** Why the daemons cannot run here (then the tests skip, saying so), or undefined. */
export async function slurmUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `Slurm's daemons run on Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'slurmd must run as root to start jobs (CI runs as root)';
  const missing = [...DAEMONS, ...CLIENTS].filter((b) => !which(b));
  if (missing.length)
    return `${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/apt-packages lists them)`;
  try {
    await lookup(nodeName());
  } catch {
    return `this host's name ${nodeName()} does not resolve, and a job's MASTER_ADDR is its node's name`;
  }
  return undefined;
}

function nodeName(): string {
  return os.hostname().split('.')[0];
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class SlurmCluster {
  private readonly daemons: { name: string; child: ChildProcess }[] = [];
  private readonly jobs: string[] = [];
  private readonly killOnExit = (): void => {
    for (const d of this.daemons) if (d.child.exitCode === null) d.child.kill('SIGKILL');
  };

  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    process.on('exit', this.killOnExit);
  }

  /** Starts munged, slurmctld and slurmd, and waits (up to 30 s) for the node to be idle. */
  static async start(): Promise<SlurmCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sc-slurm-'));
    chmodSync(dir, 0o755); // munged wants its socket's folder searchable by all
    for (const sub of ['state', 'spool']) mkdirSync(path.join(dir, sub));
    const node = nodeName();
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const conf = path.join(dir, 'slurm.conf');
    writeFileSync(path.join(dir, 'plugstack.conf'), '');
    writeFileSync(path.join(dir, 'munge.key'), randomBytes(1024), { mode: 0o600 });
    writeFileSync(
      conf,
      [
        'ClusterName=sctest',
        `SlurmctldHost=${node}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        `AuthInfo=socket=${dir}/munge.sock`,
        'CredType=cred/munge',
        `StateSaveLocation=${dir}/state`,
        `SlurmdSpoolDir=${dir}/spool`,
        `SlurmctldPidFile=${dir}/slurmctld.pid`,
        `SlurmdPidFile=${dir}/slurmd.pid`,
        `SlurmctldLogFile=${dir}/slurmctld.log`,
        `SlurmdLogFile=${dir}/slurmd.log`,
        `PlugStackConfig=${dir}/plugstack.conf`,
        'MailProg=/bin/true',
        // No cgroups (containers rarely allow them): processes tracked through /proc, no task binding, no accounting.
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'MpiDefault=none',
        'SwitchType=switch/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_CPU',
        'SlurmdParameters=config_overrides',
        'ReturnToService=2',
        'KillWait=5',
        `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN`,
        `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    const cluster = new SlurmCluster(dir, { ...process.env, SLURM_CONF: conf });
    try {
      cluster.daemon('munged', [
        '-F',
        '--force',
        `--key-file=${dir}/munge.key`,
        `--socket=${dir}/munge.sock`,
        `--pid-file=${dir}/munged.pid`,
        `--log-file=${dir}/munged.log`,
        `--seed-file=${dir}/munged.seed`,
      ]);
      await cluster.waitFor('munged socket', () => existsSync(path.join(dir, 'munge.sock')), 10_000);
      cluster.daemon('slurmctld', ['-D', '-f', conf]);
      cluster.daemon('slurmd', ['-D', '-f', conf, '-N', node]);
      await cluster.waitFor(
        'the node to be idle',
        () => cluster.run('sinfo', ['-h', '-o', '%T']).stdout.trim() === 'idle',
        30_000,
      );
    } catch (e) {
      await cluster.stop(); // the error carries the daemons' logs
      throw e;
    }
    return cluster;
  }

  private daemon(name: string, args: string[]): void {
    const log = openSync(path.join(this.dir, `${name}.out`), 'a');
    const child = spawn(which(name) ?? name, args, { env: this.env, stdio: ['ignore', log, log] });
    closeSync(log);
    child.once('error', () => undefined); // reported by waitFor, with the daemon's output
    this.daemons.push({ name, child });
  }

  private async waitFor(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(200)) {
      const dead = this.daemons.find((d) => d.child.exitCode !== null || d.child.signalCode !== null);
      if (dead)
        throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}):\n${this.logs()}`);
      if (ready()) return;
    }
    throw new Error(`gave up waiting ${timeoutMs} ms for ${what}:\n${this.logs()}`);
  }

  /** The daemons' output and logs, for a failure message. */
  logs(): string {
    return ['munged.out', 'munged.log', 'slurmctld.out', 'slurmctld.log', 'slurmd.out', 'slurmd.log']
      .filter((f) => existsSync(path.join(this.dir, f)))
      .map((f) => `--- ${f}\n${readFileSync(path.join(this.dir, f), 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  }

  /** Runs a Slurm client command against this cluster. */
  run(cmd: string, args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(cmd, args, { env: this.env, cwd, encoding: 'utf8', timeout: 30_000 });
  }

  /** sbatch ARGS from cwd (with `env` as the submitting shell's environment); the job id. */
  submit(args: string[], cwd: string, env: NodeJS.ProcessEnv = this.env): string {
    const r = spawnSync('sbatch', ['--parsable', ...args], {
      env: { ...env, SLURM_CONF: this.env.SLURM_CONF },
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(`sbatch ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    const id = r.stdout.trim().split(';')[0];
    this.jobs.push(id);
    return id;
  }

  /** The job's state and exit code, from scontrol (finished jobs stay listed for MinJobAge, 300 s). */
  job(id: string): JobEnd {
    const r = this.run('scontrol', ['show', 'job', '-o', id]);
    return {
      state: /JobState=(\S+)/.exec(r.stdout)?.[1] ?? 'UNKNOWN',
      exitCode: /ExitCode=(\S+)/.exec(r.stdout)?.[1] ?? '?',
    };
  }

  /** Waits until the job has finished (throws after timeoutMs, with the daemons' logs). */
  async waitForJob(id: string, timeoutMs: number): Promise<JobEnd> {
    await this.waitFor(`job ${id} to finish`, () => FINISHED.includes(this.job(id).state), timeoutMs);
    return this.job(id);
  }

  /** Cancels the jobs still running, stops the daemons (SIGTERM, then SIGKILL after 10 s) and removes the folder. */
  async stop(): Promise<void> {
    const running = this.jobs.filter((id) => !FINISHED.includes(this.job(id).state));
    if (running.length && this.daemons.every((d) => d.child.exitCode === null)) {
      this.run('scancel', running);
      await this.waitFor(
        'cancelled jobs to end',
        () => running.every((id) => FINISHED.includes(this.job(id).state)),
        30_000,
      ).catch((e: Error) => {
        process.stderr.write(`# ${e.message}\n`);
      });
    }
    for (const d of [...this.daemons].reverse()) {
      if (d.child.exitCode !== null || d.child.signalCode !== null) continue;
      const exited = new Promise((resolve) => d.child.once('exit', resolve));
      d.child.kill('SIGTERM');
      if ((await Promise.race([exited, sleep(10_000, 'timeout')])) === 'timeout') {
        d.child.kill('SIGKILL');
        await exited;
      }
    }
    process.off('exit', this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
