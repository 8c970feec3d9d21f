/**
 * The first Ctrl-C (SIGINT) or SIGTERM aborts the returned signal, so that a long command stops at the next safe
 * point (fit: after the step in flight, with a checkpoint) and says how to continue; a second one quits at once
 * (exit code 130), losing only the work since the last checkpoint. `dispose` removes the handlers.
 */
export function interruptOnSignals(what: string, stderr: NodeJS.WritableStream = process.stderr): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      stderr.write(`superconverge: ${name} again: quitting now\n`);
      process.exit(130);
    }
    stderr.write(`superconverge: ${name}: ${what} (${name === 'SIGINT' ? 'Ctrl-C' : name} again quits at once)\n`);
    controller.abort(name);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
