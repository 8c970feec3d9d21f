/**
 * Module hooks (registered by logImports.ts) that append every URL a process resolves to the file named by
 * SC_IMPORT_LOG, one a line: what a process loaded, for tests that check what it must not load. Not a test file.
 */
import { appendFileSync } from 'node:fs';

type Resolve = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: Resolve,
): Promise<{ url: string }> {
  const resolved = await nextResolve(specifier, context);
  const file = process.env.SC_IMPORT_LOG;
  if (file) appendFileSync(file, `${resolved.url} <- ${context.parentURL ?? '(entry)'}\n`);
  return resolved;
}
