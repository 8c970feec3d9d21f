/** What failed in a collective op, and where: the error every Collective rejects with. */

/** The ring phase an error happened in; `setup` for errors before any chunk moved (lengths, closed, aborted). */
export type CollectivePhase = 'reduce-scatter' | 'all-gather' | 'setup';

export interface CollectiveErrorDetails {
  /** The rank that reports the error. */
  rank: number;
  /** The allreduce sequence number (0 for the first op of a collective). */
  op: number;
  phase: CollectivePhase;
  /** Ring round within the phase, when it applies. */
  round?: number;
  /** The peer the failure is attributed to, when there is one. */
  peerRank?: number;
  peerAddress?: string;
}

export class CollectiveError extends Error {
  readonly rank: number;
  readonly op: number;
  readonly phase: CollectivePhase;
  readonly round: number | undefined;
  readonly peerRank: number | undefined;
  readonly peerAddress: string | undefined;

  constructor(message: string, details: CollectiveErrorDetails, options?: { cause?: unknown }) {
    super(`${describeWhere(details)}: ${message}`, options);
    this.name = 'CollectiveError';
    this.rank = details.rank;
    this.op = details.op;
    this.phase = details.phase;
    this.round = details.round;
    this.peerRank = details.peerRank;
    this.peerAddress = details.peerAddress;
  }
}

function describeWhere(d: CollectiveErrorDetails): string {
  const round = d.round === undefined ? '' : ` round ${d.round}`;
  return `allreduce on rank ${d.rank}, op ${d.op}, ${d.phase}${round}`;
}

/** Names a peer as "rank R (host:port)" for messages. */
export function describePeer(rank: number, address?: string): string {
  return address === undefined ? `rank ${rank}` : `rank ${rank} (${address})`;
}
