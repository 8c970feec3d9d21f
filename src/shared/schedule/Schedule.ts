/** A schedule is a pure function of the global iteration (0-based): nothing else feeds it. */
export interface ScheduleValue {
  /** Learning rate at this iteration. */
  lr: number;
  /** Momentum at this iteration (one-cycle's cyclical momentum); undefined where the schedule sets none. */
  momentum?: number;
}
export type Schedule = (iteration: number) => ScheduleValue;

/** Asserts an iteration is an integer in [0, total); schedules are only defined there. */
export function checkIteration(iteration: number, total: number, name: string): void {
  if (!Number.isInteger(iteration) || iteration < 0 || iteration >= total) {
    throw new RangeError(`${name}: iteration ${iteration} is outside [0, ${total})`);
  }
}
