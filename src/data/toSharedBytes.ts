/**
 * Returns `bytes` backed by a SharedArrayBuffer (copying once when it is not already), so worker threads
 * can read it without a copy per message.
 */
export function toSharedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}
