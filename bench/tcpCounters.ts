/**
 * Linux's TCP counters that show a loopback stream stalling (nstat's TcpExtTCPLossProbes, TcpExtTCPToZeroWindowAdv
 * and TcpRetransSegs), read from /proc/net/netstat and /proc/net/snmp so that a benchmark can report them per
 * operation. They count every socket of the machine's network namespace: on a shared machine, other processes'
 * traffic is in them too.
 *
 * - lossProbes: tail-loss probes sent, each after a probe timeout (a few ms at least) without an ACK: the sender
 *   stood still until it fired (on loopback nothing is lost: the receiving thread had not taken the data yet);
 * - zeroWindows: times a receiver advertised a zero window (its socket buffer full, its thread not reading);
 * - retransmits: segments sent again (on loopback all spurious, answered by D-SACKs).
 */
import { readFileSync } from 'node:fs';

export interface TcpCounters {
  lossProbes: number;
  zeroWindows: number;
  retransmits: number;
}

/** The named counters of one `Prefix: names` / `Prefix: values` line pair of a /proc/net file. */
function countersOf(text: string, prefix: string): Map<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith(`${prefix}:`));
  const out = new Map<string, number>();
  if (lines.length < 2) return out;
  const names = lines[0].split(/\s+/).slice(1);
  const values = lines[1].split(/\s+/).slice(1).map(Number);
  names.forEach((name, i) => out.set(name, values[i]));
  return out;
}

/** The counters now, or undefined where /proc/net does not have them (not Linux). */
export function readTcpCounters(): TcpCounters | undefined {
  let netstat: string;
  let snmp: string;
  try {
    netstat = readFileSync('/proc/net/netstat', 'utf8');
    snmp = readFileSync('/proc/net/snmp', 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const ext = countersOf(netstat, 'TcpExt');
  const tcp = countersOf(snmp, 'Tcp');
  const lossProbes = ext.get('TCPLossProbes');
  const zeroWindows = ext.get('TCPToZeroWindowAdv');
  const retransmits = tcp.get('RetransSegs');
  if (lossProbes === undefined || zeroWindows === undefined || retransmits === undefined) return undefined;
  return { lossProbes, zeroWindows, retransmits };
}

/** b - a, counter by counter. */
export function tcpCountersDelta(a: TcpCounters, b: TcpCounters): TcpCounters {
  return {
    lossProbes: b.lossProbes - a.lossProbes,
    zeroWindows: b.zeroWindows - a.zeroWindows,
    retransmits: b.retransmits - a.retransmits,
  };
}
