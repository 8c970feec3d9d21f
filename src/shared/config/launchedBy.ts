/**
 * Set by a coordinator on the worker processes it starts (to its pid), with each worker's stdin a pipe from it that
 * is never written: when the pipe closes, the coordinator is gone (killed, crashed, exited), and the worker exits at
 * once, whether it had joined yet or not. Internal: never set it by hand.
 */
export const LAUNCHED_BY_VARIABLE = 'SUPERCONVERGE_LAUNCHED_BY';
