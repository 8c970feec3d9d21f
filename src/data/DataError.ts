/**
 * The one error type of the data layer: a missing, corrupt or mismatched dataset file, or a bad `--data` spec.
 * Its message always names the file (or spec) and what was wrong, so the CLI can print `err.message` alone,
 * without a stack trace.
 */
export class DataError extends Error {
  /** The file (or directory) the problem is about, when there is one. */
  readonly file: string | undefined;

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataError';
    this.file = options.file;
  }
}
