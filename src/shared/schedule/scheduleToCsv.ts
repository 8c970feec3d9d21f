import type { Schedule } from './Schedule.js';

/** CSV `iteration,lr,momentum`, one row per iteration, full precision; momentum empty where there is none. */
export function scheduleToCsv(schedule: Schedule, iterations: number): string {
  const rows = ['iteration,lr,momentum'];
  for (let i = 0; i < iterations; i++) {
    const { lr, momentum } = schedule(i);
    rows.push(`${i},${lr},${momentum ?? ''}`);
  }
  return rows.join('\n') + '\n';
}
