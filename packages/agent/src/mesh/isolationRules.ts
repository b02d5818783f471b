/**
 * Isolation of task host ports. Each target port of a task is bound on an
 * ephemeral host port on every address of its node, so that the proxies and
 * the routing mesh of every node reach it; without more, a container of any
 * stack could reach it too. The agent keeps three netfilter chains, rebuilt
 * from the registry view on every change, that refuse new connections from
 * containers (traffic coming in from the engine's bridges, `docker0` and
 * `br-+`) to those ports:
 *
 * - the IN chain (jumped to first from INPUT) refuses this node's task ports
 *   at any address of the node, where `docker-proxy` would take them;
 * - the NAT chain (jumped to first from nat PREROUTING) keeps the engine from
 *   DNATing them to the task (an engine without the userland proxy does, for
 *   containers too), so that they meet the IN chain: a refusal after DNAT
 *   would not reach the client, which would wait for a timeout instead;
 * - the FWD chain (jumped to first from DOCKER-USER, or FORWARD without it)
 *   drops what was DNATed all the same (matched on the original destination
 *   port), and refuses other nodes' task ports at their node addresses: a
 *   container's connection to another host leaves masqueraded as this node,
 *   which the other node cannot tell from the mesh's own traffic, so it is
 *   refused here, before it leaves.
 *
 * Traffic the host itself makes (the proxies and the routing mesh) passes.
 * Published ports of the routing mesh are not task ports; `mode: host` ports
 * are public by design and left open; VIPs and DNS (10.233.0.0/16) and task
 * addresses (10.234.0.0/15) answer containers themselves, and their proxies
 * check which stacks may use them.
 */
import { TASK_ADDRESS_NETWORK, VIP_NETWORK, type PortMapping, type RegistryEntry } from '@cluster/core';
import { ipv4ToNumber } from './subnets.js';

/** BRIDGES are the interfaces container traffic comes in from (iptables `-i` patterns). */
export const BRIDGES = ['docker0', 'br-+'];

/** TaskPort is one host port a task answers on that only hosts may reach. */
export interface TaskPort {
  /** address is the node address of the task. */
  address: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** local is true for a task of this node. */
  local: boolean;
}

/** IsolationChains names the two chains of one agent. */
export interface IsolationChains {
  input: string;
  forward: string;
  /** nat is in the nat table; the others in the filter table. */
  nat: string;
}

/** chainsOf returns the chain names of a node (at most 28 characters, as iptables requires). */
export function chainsOf(nodeId: string): IsolationChains {
  const id = nodeId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'node';
  return { input: `CLUSTER-${id}-IN`, forward: `CLUSTER-${id}-FWD`, nat: `CLUSTER-${id}-NAT` };
}

/**
 * isRuleAddress tells whether a node address may go into a rule: a plain
 * IPv4 address (iptables takes no other), nothing else. Addresses come from
 * the manager, which had them from nodes: never pasted unchecked.
 */
export function isRuleAddress(address: string): boolean {
  return ipv4ToNumber(address) >= 0;
}

/** isRulePort tells whether a port number may go into a rule: a whole number from 1 to 65535. */
function isRulePort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/**
 * taskPorts lists the host ports of every serving task in the view, and the
 * `local` ports of this node's running tasks (serving or not yet: starting,
 * unhealthy, stopping), sorted and without duplicates; a port a `mode: host`
 * published port of the same service binds (of any service, for `local`
 * ports, which come without their service) is public and left out. An
 * endpoint of another node whose address is not an IPv4 address is left
 * out and handed to `dropped` (it cannot be matched, and must never reach
 * the rules' text).
 */
export function taskPorts(entries: RegistryEntry[], nodeId: string, local: PortMapping[] = [], dropped: (address: string) => void = () => undefined): TaskPort[] {
  const out = new Map<string, TaskPort>();
  const hostMode = new Set(entries.flatMap((e) => e.ports.filter((p) => p.mode === 'host' && p.published > 0).map((p) => `${p.protocol}/${p.published}`)));
  for (const p of local) {
    if (isRulePort(p.hostPort) && !hostMode.has(`${p.protocol}/${p.hostPort}`)) out.set(`/${p.protocol}/${p.hostPort}`, { address: '', port: p.hostPort, protocol: p.protocol, local: true });
  }
  for (const e of entries) {
    const publicPorts = new Set(e.ports.filter((p) => p.mode === 'host' && p.published > 0).map((p) => `${p.protocol}/${p.published}`));
    for (const ep of e.endpoints) {
      for (const p of ep.ports) {
        if (!isRulePort(p.hostPort) || publicPorts.has(`${p.protocol}/${p.hostPort}`)) continue;
        const local = ep.nodeId === nodeId;
        if (!local && ep.nodeAddress === '') continue;
        if (!local && !isRuleAddress(ep.nodeAddress)) {
          dropped(ep.nodeAddress);
          continue;
        }
        const key = `${local ? '' : ep.nodeAddress}/${p.protocol}/${p.hostPort}`;
        if (!out.has(key)) out.set(key, { address: ep.nodeAddress, port: p.hostPort, protocol: p.protocol, local });
      }
    }
  }
  // This node's ports first, by protocol and port (their address does not matter); then by node address.
  return [...out.values()].sort((a, b) => Number(b.local) - Number(a.local) || (a.local ? 0 : a.address.localeCompare(b.address)) || a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/**
 * isolationRules returns the `iptables-restore --noflush` input that
 * replaces the contents of the chains in one transaction (declaring a chain
 * flushes it). Only new connections are refused: TCP with a reset, UDP with
 * port unreachable, so a client fails at once instead of waiting. Every
 * value is checked before it is written: a port with an address that is not
 * IPv4 (of another node), a port number out of range or another protocol
 * makes no rule, so no text a node chose can end a rule and start another.
 */
export function isolationRules(input: TaskPort[], chains: IsolationChains, bridges: string[] = BRIDGES): string {
  const ports = input.filter((p) => (p.protocol === 'tcp' || p.protocol === 'udp') && isRulePort(p.port) && (p.local || isRuleAddress(p.address)));
  const lines = ['*filter', `:${chains.input} - [0:0]`, `:${chains.forward} - [0:0]`];
  lines.push(`-A ${chains.input} -m conntrack ! --ctstate NEW -j RETURN`);
  lines.push(`-A ${chains.input} -d ${VIP_NETWORK}/16 -j RETURN`, `-A ${chains.input} -d ${TASK_ADDRESS_NETWORK} -j RETURN`);
  lines.push(`-A ${chains.forward} -m conntrack ! --ctstate NEW -j RETURN`);
  const reject = (p: TaskPort): string => (p.protocol === 'tcp' ? '-j REJECT --reject-with tcp-reset' : '-j REJECT --reject-with icmp-port-unreachable');
  for (const p of ports) {
    for (const b of bridges) {
      if (p.local) {
        lines.push(`-A ${chains.input} -i ${b} -p ${p.protocol} -m ${p.protocol} --dport ${p.port} ${reject(p)}`);
        lines.push(`-A ${chains.forward} -i ${b} -p ${p.protocol} -m conntrack --ctstate DNAT --ctorigdstport ${p.port} -j DROP`);
      } else {
        lines.push(`-A ${chains.forward} -i ${b} -d ${p.address}/32 -p ${p.protocol} -m ${p.protocol} --dport ${p.port} ${reject(p)}`);
      }
    }
  }
  lines.push('COMMIT', '*nat', `:${chains.nat} - [0:0]`);
  for (const p of ports) {
    if (!p.local) continue;
    // ACCEPT ends the nat table's walk for the connection: no DNAT, the packet goes to INPUT.
    for (const b of bridges) lines.push(`-A ${chains.nat} -i ${b} -p ${p.protocol} -m ${p.protocol} --dport ${p.port} -m addrtype --dst-type LOCAL -j ACCEPT`);
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** withNatJump puts a jump to `to` first in the NAT chain of restore input (after the nat table's chain declarations). */
export function withNatJump(rules: string, nat: string, to: string): string {
  const lines = rules.split('\n');
  const start = lines.indexOf('*nat');
  if (start < 0) return rules;
  let i = start + 1;
  while (i < lines.length && lines[i]!.startsWith(':')) i++;
  lines.splice(i, 0, `-A ${nat} -j ${to}`);
  return lines.join('\n');
}
