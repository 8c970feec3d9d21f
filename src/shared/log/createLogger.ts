import { Writable } from 'node:stream';
import pino from 'pino';

export type LogFormat = 'pretty' | 'json';
export type Logger = pino.Logger;

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Renders pino's JSON lines for a terminal: `12:03:04 INFO [rank 1] message key=value`. */
function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        let rec: Record<string, unknown>;
        try {
          rec = JSON.parse(line) as Record<string, unknown>;
        } catch {
          out.write(line + '\n');
          continue;
        }
        const { time, level, msg, pid: _pid, hostname: _host, rank, err, ...rest } = rec;
        const t = new Date(Number(time)).toISOString().slice(11, 19);
        const who = rank === undefined ? '' : ` [rank ${String(rank)}]`;
        const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        const errText =
          err && typeof err === 'object' && 'message' in err
            ? ` (${String((err as { message: unknown }).message)})`
            : '';
        out.write(
          `${t} ${LEVEL_NAMES[Number(level)] ?? level}${who} ${String(msg ?? '')}${errText}${extra.length ? ' ' + extra.join(' ') : ''}\n`,
        );
      }
      done();
    },
  });
}

/**
 * The project's logger: pino, readable in a terminal by default, JSON lines with `json`. Logs go to stderr.
 * `bindings` (e.g. the worker's rank) go on every line. They are merged into each call's object (a mixin), not bound
 * with pino's child(), which writes a bound key again when a call also names it (`"rank":1,"rank":1`, rejected by
 * strict JSON parsers); here a line has every key once, and the call's value wins.
 */
export function createLogger(
  opts: { format?: LogFormat; level?: string; bindings?: Record<string, unknown> } = {},
): Logger {
  const level = opts.level ?? process.env.SUPERCONVERGE_LOG_LEVEL ?? 'info';
  const dest = opts.format === 'json' ? pino.destination(2) : prettyStream(process.stderr);
  const bindings = opts.bindings;
  // pino merges the call's object into the mixin's, so each line needs a fresh copy.
  return pino({ level, base: undefined, ...(bindings && { mixin: () => ({ ...bindings }) }) }, dest);
}
