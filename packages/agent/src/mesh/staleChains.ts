/**
 * What a killed agent leaves in netfilter: its jumps (found by the pid in
 * their comment) and its chains. staleChains decides, from one table's
 * `iptables -S` listing, which cluster chains no running agent uses, so the
 * next agent removes them all, whatever node they were made for.
 */
import { clusterJumps, splitArgs } from './iptablesListing.js';

/**
 * staleChains lists the cluster chains of a table that are neither this
 * node's (`ours`: every chain named after the node, whatever part of the
 * agent made it) nor reached from a jump of a live agent.
 */
export function staleChains(listing: string, ours: (chain: string) => boolean, alive: (pid: number) => boolean): string[] {
  const all = new Set<string>();
  const refs = new Map<string, string[]>();
  for (const line of listing.split('\n')) {
    const args = splitArgs(line);
    if (args[0] === '-N' && args[1]?.startsWith('CLUSTER-')) all.add(args[1]);
    if (args[0] !== '-A' || !args[1]?.startsWith('CLUSTER-')) continue;
    const j = args.indexOf('-j');
    const to = j >= 0 ? args[j + 1] ?? '' : '';
    if (to.startsWith('CLUSTER-')) refs.set(args[1], [...(refs.get(args[1]) ?? []), to]);
  }
  const live = new Set<string>([...all].filter(ours));
  for (const j of clusterJumps(listing)) {
    all.add(j.chain);
    if (j.pid === process.pid || alive(j.pid)) live.add(j.chain);
  }
  // Chains a live chain jumps to (the kernel path's, from the NAT chain) are live too.
  const queue = [...live];
  for (let c = queue.pop(); c !== undefined; c = queue.pop()) {
    for (const to of refs.get(c) ?? []) {
      if (live.has(to)) continue;
      live.add(to);
      queue.push(to);
    }
  }
  return [...all].filter((c) => !live.has(c) && !ours(c)).sort();
}
