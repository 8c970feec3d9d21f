import { constants } from 'node:os';

/**
 * The run was asked to stop (Ctrl-C, SIGTERM: the `signal` of fit and lrFind) before its first step: while it waited
 * for workers to join or configured them. Nothing was trained and there is nothing to resume; the CLI exits at once
 * with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a process killed by it would.
 */
export class StartInterruptedError extends Error {
  override name = 'StartInterruptedError';
  constructor(
    readonly signalName: string,
    what: string,
  ) {
    super(
      `${signalName} while ${what}: stopped before the first step (nothing was trained; there is nothing to resume)`,
    );
  }

  /** 128 + the signal's number (130 for SIGINT, 143 for SIGTERM; 130 for a reason that is no signal's name). */
  get exitCode(): number {
    const n = (constants.signals as Record<string, number | undefined>)[this.signalName];
    return 128 + (n ?? constants.signals.SIGINT);
  }
}

/**
 * `work`, unless `signal` is aborted first (or already): then a StartInterruptedError naming `what` (what was being
 * waited for, as it stands when the signal comes). `work` is left to settle on its own; the caller's cleanup (finally) stops what it started.
 */
export async function unlessInterrupted<T>(
  signal: AbortSignal | undefined,
  what: string | (() => string),
  work: Promise<T>,
): Promise<T> {
  if (!signal) return work;
  const interrupted = (): StartInterruptedError =>
    new StartInterruptedError(String(signal.reason ?? 'interrupted'), typeof what === 'string' ? what : what());
  if (signal.aborted) {
    work.catch(() => undefined);
    throw interrupted();
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    work.catch(() => undefined); // its failure after an interruption is not this caller's to report
  }
}
