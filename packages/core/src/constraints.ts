/**
 * Placement constraints as in swarmkit: `node.id`, `node.hostname`, `node.role`
 * and `node.labels.KEY`, compared with `==` or `!=`.
 */
import type { Node } from './model.js';

/** Constraint is one parsed placement constraint such as `node.labels.zone==eu`. */
export interface Constraint {
  /** key is `node.id`, `node.hostname`, `node.role` or `node.labels.KEY`. */
  key: string;
  op: '==' | '!=';
  value: string;
}

const EXPR_RE = /^\s*([^\s=!]+)\s*(==|!=)\s*(.*?)\s*$/;
const LABEL_PREFIX = 'node.labels.';
const KEYS = new Set(['node.id', 'node.hostname', 'node.role']);

/** parseConstraint reads `KEY==VALUE` or `KEY!=VALUE`, or says what is wrong with it. */
export function parseConstraint(text: string): Constraint | { error: string } {
  const m = EXPR_RE.exec(text);
  if (!m) return { error: `constraint "${text}": expected KEY==VALUE or KEY!=VALUE` };
  const key = m[1] ?? '';
  const op = m[2] === '!=' ? '!=' : '==';
  const value = m[3] ?? '';
  const isLabel = key.startsWith(LABEL_PREFIX) && key.length > LABEL_PREFIX.length;
  if (!isLabel && !KEYS.has(key)) {
    return { error: `constraint "${text}": unknown key "${key}" (node.id, node.hostname, node.role, node.labels.KEY)` };
  }
  if (value === '') return { error: `constraint "${text}": empty value` };
  return { key, op, value };
}

/** formatConstraint writes a constraint back in its compact form, `node.role==worker`. */
export function formatConstraint(c: Constraint): string {
  return `${c.key}${c.op}${c.value}`;
}

/** matchConstraint tells whether a node satisfies one parsed constraint. */
export function matchConstraint(node: Node, c: Constraint): boolean {
  let equal: boolean;
  if (c.key === 'node.id') {
    equal = node.id === c.value;
  } else if (c.key === 'node.hostname') {
    // Host names compare case-insensitively; either the node's name or its host name may be meant.
    const v = c.value.toLowerCase();
    equal = node.name.toLowerCase() === v || node.hostname.toLowerCase() === v;
  } else if (c.key === 'node.role') {
    equal = node.role === c.value.toLowerCase();
  } else {
    // A missing label never equals anything, so it satisfies `!=`.
    equal = node.labels[c.key.slice(LABEL_PREFIX.length)] === c.value;
  }
  return c.op === '==' ? equal : !equal;
}

/**
 * parseConstraints parses a list of constraints; the first invalid one is
 * returned as an error.
 */
export function parseConstraints(texts: readonly string[]): Constraint[] | { error: string } {
  const out: Constraint[] = [];
  for (const text of texts) {
    const c = parseConstraint(text);
    if ('error' in c) return c;
    out.push(c);
  }
  return out;
}

/** matchesConstraints tells whether a node satisfies every constraint; an invalid constraint matches no node. */
export function matchesConstraints(node: Node, constraints: readonly string[]): boolean {
  const parsed = parseConstraints(constraints);
  if ('error' in parsed) return false;
  return parsed.every((c) => matchConstraint(node, c));
}
