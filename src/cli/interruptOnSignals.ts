import { constants } from 'node:os';

/**
 * The first Ctrl-C (SIGINT) or SIGTERM aborts the returned signal. Before `started()` (workers joining, being
 * configured) the command then stops at once: fit and lr-find reject with a StartInterruptedError and the CLI exits
 * 130 or 143. After it, a long command stops at the next safe point (fit: after the step in flight, with a
 * checkpoint; `what` says so) and says how to continue; a second signal quits at once (128 + its number), losing
 * only the work since the last checkpoint. `dispose` removes the handlers.
 */
export function interruptOnSignals(
  what: string,
  stderr: NodeJS.WritableStream = process.stderr,
): { signal: AbortSignal; started(): void; dispose(): void } {
  const controller = new AbortController();
  let training = false;
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      stderr.write(`superconverge: ${name} again: quitting now\n`);
      process.exit(128 + constants.signals[name]);
    }
    const doing = training ? what : 'stopping now (no step has run yet)';
    stderr.write(`superconverge: ${name}: ${doing} (${name === 'SIGINT' ? 'Ctrl-C' : name} again quits at once)\n`);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    started: () => {
      training = true;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
