import type { ConfigureReply__Output } from '../shared/proto/generated/superconverge/v1/ConfigureReply.js';
import { describeAdapter, type AdapterInfo } from '../shared/gpu/index.js';

/** The WebGPU adapter of each rank (in rank order), or undefined when no worker runs on webgpu. */
export function adaptersOf(replies: readonly ConfigureReply__Output[]): AdapterInfo[] | undefined {
  if (!replies.some((r) => r.adapterJson)) return undefined;
  return replies.map((r, rank) => {
    if (!r.adapterJson)
      throw new Error(
        `worker rank ${rank} runs on ${r.backend}, rank 0 on ${replies[0].backend}: every rank must use the same backend`,
      );
    return JSON.parse(r.adapterJson) as AdapterInfo;
  });
}

/** "webgpu on NVIDIA H200 (...)" for one adapter, or "webgpu on 2 adapters: rank 0 ..., rank 1 ..." for several. */
export function describeAdapters(adapters: readonly AdapterInfo[]): string {
  const names = adapters.map(describeAdapter);
  if (names.every((n) => n === names[0])) return names[0] + (names.length > 1 ? ` (every rank)` : '');
  return names.map((n, rank) => `rank ${rank}: ${n}`).join('; ');
}
