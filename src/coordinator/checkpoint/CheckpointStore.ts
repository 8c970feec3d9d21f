import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../shared/log/index.js';
import { CheckpointError, type Checkpoint } from './Checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec.js';

const NAME = /^step-(\d{9})\.ckpt$/;

/** RUN_DIR/checkpoints: the folder a run's checkpoints go to. */
export function checkpointDir(runDir: string): string {
  return path.join(runDir, 'checkpoints');
}

/**
 * A run's checkpoints (RUN_DIR/checkpoints/step-000000017.ckpt, by the next step): each written atomically
 * (a temporary file, fsync, rename, fsync of the folder), the last `keep` kept.
 */
export class CheckpointStore {
  constructor(
    readonly dir: string,
    private readonly keep = 3,
  ) {}

  /** Writes the checkpoint and removes the oldest beyond `keep`; returns its path. */
  write(c: Checkpoint): string {
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `step-${String(c.loop.nextIteration).padStart(9, '0')}.ckpt`);
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w');
    try {
      const bytes = encodeCheckpoint(c);
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    syncDir(this.dir);
    for (const old of this.files().slice(0, -this.keep)) rmSync(old, { force: true });
    return file;
  }

  /** Checkpoint files, oldest first. */
  files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => NAME.test(f))
      .sort()
      .map((f) => path.join(this.dir, f));
  }

  /** Reads one checkpoint; a CheckpointError names the file and what is wrong. */
  static read(file: string): Checkpoint {
    try {
      return decodeCheckpoint(readFileSync(file));
    } catch (e) {
      throw new CheckpointError(file, e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * The newest checkpoint that reads back intact; a corrupt or truncated one is refused with a warning naming it,
   * and the one before it is tried. Throws when there is none.
   */
  latest(log?: Logger): { file: string; checkpoint: Checkpoint } {
    const files = this.files();
    if (files.length === 0)
      throw new CheckpointError(
        this.dir,
        'no checkpoints here (was the run started with this version, and did it get past a checkpoint?)',
      );
    const refused: string[] = [];
    for (const file of files.reverse()) {
      try {
        return { file, checkpoint: CheckpointStore.read(file) };
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        log?.warn({ file }, `refusing ${msg}; trying the one before`);
        refused.push(msg);
      }
    }
    throw new CheckpointError(this.dir, `no usable checkpoint: ${refused.join('; ')}`);
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    // Some filesystems cannot fsync a directory (EISDIR/EINVAL); the rename is still atomic there.
    if (!(e instanceof Error && 'code' in e && ['EISDIR', 'EINVAL', 'EPERM'].includes(String(e.code)))) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
