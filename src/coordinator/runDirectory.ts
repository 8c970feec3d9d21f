import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** `runs/<time>-<kind>` under the working directory unless `out` names one; created. */
export function runDirectory(out: string, kind: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = path.resolve(out || path.join('runs', `${stamp}-${kind}`));
  mkdirSync(dir, { recursive: true });
  return dir;
}
