/** A run's records could not be read or a plot could not be rendered; the message names the file and what was wrong. */
export class PlotError extends Error {
  override name = 'PlotError';
}
