/**
 * Everything a node sends is untrusted input: a node's host may be
 * compromised, and what it says reaches every other node (its address goes
 * into their netfilter rules) and the admin's terminal. These checks are
 * made where the manager takes the values in, at join and at every session
 * hello and status; a value that would be dangerous anywhere is refused with
 * a clear error, free text is clipped to a bound.
 */
import { isIP } from 'node:net';
import { ClusterError, MAX_ERROR_CHARS, clipText, escapeControl, hasControl } from '@cluster/core';
import type { TaskStatus__Output } from '@cluster/api';

/** NODE_INPUT_LIMITS are the bounds on what a node sends, in characters (counts for labels). */
export const NODE_INPUT_LIMITS = {
  hostname: 253,
  engineVersion: 128,
  containerId: 128,
  /** taskError bounds a task's error text; `cluster ps` shows it, and every listing carries it. */
  taskError: MAX_ERROR_CHARS,
  labelKey: 128,
  labelValue: 256,
  labels: 64,
} as const;

/** LABEL_KEY_RE is what a node label key must match. */
export const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;
const HOSTNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** IP_CHARS: an address is digits, hex letters, dots and colons only (no zone, no prefix length). */
const IP_CHARS = /^[0-9A-Fa-f.:]+$/;
/** MAX_RESOURCE bounds reported CPUs (in nano CPUs) and memory (in bytes): far above any host, exact as a double. */
const MAX_RESOURCE = Number.MAX_SAFE_INTEGER;

/** shown is a value as an error message quotes it: clipped, its control characters escaped. */
export function shown(value: string): string {
  return `"${escapeControl(clipText(value, 80))}"`;
}

function refuse(message: string): never {
  throw new ClusterError('invalid_argument', message);
}

/**
 * isNodeAddress tells whether `value` is a plain IPv4 or IPv6 address, as
 * `net.isIP` reads it, with nothing else (no zone, prefix or spaces).
 */
export function isNodeAddress(value: string): boolean {
  return value.length <= 45 && IP_CHARS.test(value) && isIP(value) !== 0;
}

/** checkNodeAddress returns a node's address if it is a plain IP address, else refuses it; '' is returned as is (the caller falls back). */
export function checkNodeAddress(where: string, value: string): string {
  if (value === '' || isNodeAddress(value)) return value;
  return refuse(`${where}: advertise address ${shown(value)} is not an IP address (give --advertise an IPv4 or IPv6 address)`);
}

/** checkHostname returns a host name of letters, digits, ".", "_" and "-" (at most 253), else refuses it. */
export function checkHostname(where: string, value: string): string {
  if (value.length <= NODE_INPUT_LIMITS.hostname && HOSTNAME_RE.test(value)) return value;
  return refuse(`${where}: invalid host name ${shown(value)} (letters, digits, ".", "_" and "-", at most ${NODE_INPUT_LIMITS.hostname})`);
}

/** checkLabel refuses a label whose key or value is malformed, too long or holds control characters. */
export function checkLabel(where: string, key: string, value: string): void {
  if (!LABEL_KEY_RE.test(key)) refuse(`${where}: invalid label key ${shown(key)} (letters, digits, ".", "_", "-", "/", at most ${NODE_INPUT_LIMITS.labelKey})`);
  if (value.length > NODE_INPUT_LIMITS.labelValue || hasControl(value)) {
    refuse(`${where}: invalid value ${shown(value)} of label ${key} (printable text, at most ${NODE_INPUT_LIMITS.labelValue} characters)`);
  }
}

/** checkLabels refuses a label set with a malformed label or more than NODE_INPUT_LIMITS.labels labels. */
export function checkLabels(where: string, labels: Record<string, string>): Record<string, string> {
  const entries = Object.entries(labels);
  if (entries.length > NODE_INPUT_LIMITS.labels) refuse(`${where}: ${entries.length} labels (at most ${NODE_INPUT_LIMITS.labels})`);
  for (const [k, v] of entries) checkLabel(where, k, v);
  return Object.fromEntries(entries);
}

/** HelloFacts are what the manager takes from a session hello. */
export interface HelloFacts {
  /** address is the checked advertise address, '' when the hello gave none. */
  address: string;
  /** hostname is what the node says; it is compared with the one of its join, never stored over it. */
  hostname: string;
  engineVersion: string;
  nanoCpus: number;
  memoryBytes: number;
}

/**
 * checkHello reads a session hello as untrusted input: the address must be
 * an IP address (it goes into every node's netfilter rules), resources
 * whole numbers within bounds; the engine version is clipped and its
 * control characters escaped. A refusal is a ClusterError invalid_argument.
 */
export function checkHello(hello: { hostname: string; advertiseAddress: string; engineVersion: string; nanoCpus: number; memoryBytes: number }): HelloFacts {
  const resource = (name: string, v: number): number => {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_RESOURCE) refuse(`session: hello ${name} ${v} is not a whole number of 0 or more`);
    return v;
  };
  return {
    address: checkNodeAddress('session: hello', hello.advertiseAddress),
    hostname: clipText(hello.hostname, NODE_INPUT_LIMITS.hostname),
    engineVersion: escapeControl(clipText(hello.engineVersion, NODE_INPUT_LIMITS.engineVersion)),
    nanoCpus: resource('nanoCpus', hello.nanoCpus),
    memoryBytes: resource('memoryBytes', hello.memoryBytes),
  };
}

/** engineErrorOf is a node's report of why its engine does not answer, as shown: clipped, control characters escaped. */
export function engineErrorOf(reported: string): string {
  return escapeControl(clipText(reported, NODE_INPUT_LIMITS.taskError));
}

/** dataDirErrorOf is a node's report of why its data dir cannot be written, as shown: bounded as engineErrorOf. */
export function dataDirErrorOf(reported: string): string {
  return engineErrorOf(reported);
}

/**
 * boundedStatus returns a task status with its free text bounded: the error
 * clipped to NODE_INPUT_LIMITS.taskError (a 1.6 MB error would be in every
 * listing), the container id clipped and escaped. The state, health and
 * ports are checked where they are applied (convert.ts, applyStatus).
 */
export function boundedStatus(s: TaskStatus__Output): TaskStatus__Output {
  const error = s.error.length > NODE_INPUT_LIMITS.taskError ? clipText(s.error, NODE_INPUT_LIMITS.taskError) : s.error;
  const containerId = s.containerId.length > NODE_INPUT_LIMITS.containerId || hasControl(s.containerId)
    ? escapeControl(clipText(s.containerId, NODE_INPUT_LIMITS.containerId))
    : s.containerId;
  return error === s.error && containerId === s.containerId ? s : { ...s, error, containerId };
}
