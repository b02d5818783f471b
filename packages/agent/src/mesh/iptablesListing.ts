/**
 * Reading `iptables -S` output: the jumps agents add to the built-in chains
 * carry a comment with the agent's pid, so that a restarted agent finds the
 * jumps of dead agents (staleChains.ts) and checks that its own still come
 * first (firewall.ts, overlay.ts).
 */

/** JUMP_COMMENT starts the comment on every jump an agent adds; the pid tells a dead agent's jumps. */
export const JUMP_COMMENT = 'cluster agent pid';

/** StaleJump is a jump to a cluster chain from a built-in chain, found in `iptables -S` output. */
export interface StaleJump {
  /** rule is the rule's arguments after `-A`, for `iptables -D`. */
  rule: string[];
  chain: string;
  pid: number;
}

/** clusterJumps lists the jumps to cluster chains in `iptables -S` output, with the pid of the agent that added each. */
export function clusterJumps(listing: string): StaleJump[] {
  const out: StaleJump[] = [];
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const args = splitArgs(line).slice(1);
    const j = args.indexOf('-j');
    const chain = j >= 0 ? args[j + 1] ?? '' : '';
    if (!chain.startsWith('CLUSTER-')) continue;
    const c = args.indexOf('--comment');
    const m = c >= 0 ? new RegExp(`^${JUMP_COMMENT} (\\d+)$`).exec(args[c + 1] ?? '') : null;
    if (!m) continue;
    out.push({ rule: args, chain, pid: Number(m[1]) });
  }
  return out;
}

/**
 * jumpFirst tells whether a built-in chain's listing (`iptables -S CHAIN`)
 * has this agent's jump to `to` ahead of every rule but other agents' jumps
 * (agents of several clusters may share a host).
 */
export function jumpFirst(listing: string, to: string, pid: number): boolean {
  for (const line of listing.split('\n')) {
    if (!line.startsWith('-A ')) continue;
    const [j] = clusterJumps(line);
    if (!j) return false;
    if (j.chain === to && j.pid === pid) return true;
  }
  return false;
}

/** splitArgs splits one line of `iptables -S` into arguments (double quotes group, as iptables prints them). */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return out;
}
