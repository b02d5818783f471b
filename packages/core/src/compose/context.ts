import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Problem } from './formatProblem.js';

/** ValueNode is a YAML node with aliases already followed. */
export type ValueNode = Scalar | YAMLMap | YAMLSeq;

/** Position is a 1-based line and column; line 0 means "not in the file". */
export interface Position {
  line: number;
  col: number;
}

/** At is where a problem is: a node (its start), a pair (its key) or a position. */
export type At = unknown;

/** LoadContext carries what every normalizer needs: the document, positions and the problems found so far. */
export class LoadContext {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document,
    readonly lineCounter: LineCounter,
    readonly env: Readonly<Record<string, string>>,
  ) {}

  /** resolve follows an alias to its anchored node; anything that is not a value node gives undefined. */
  resolve(node: unknown): ValueNode | undefined {
    const target = isAlias(node) ? node.resolve(this.doc) : node;
    if (isScalar(target) || isMap(target) || isSeq(target)) return target;
    return undefined;
  }

  /** positionOf gives the position of a node, a pair's key, an offset or a position. */
  positionOf(at: At, offset = 0): Position {
    if (typeof at === 'number') return this.lineCounter.linePos(at + offset);
    if (isPair(at)) return this.positionOf(at.key, offset);
    if (isNode(at) && at.range) return this.lineCounter.linePos(at.range[0] + offset);
    if (typeof at === 'object' && at !== null && 'line' in at && 'col' in at) return at as Position;
    return { line: 1, col: 1 };
  }

  error(at: At, path: string, message: string, offset = 0): void {
    this.errors.push({ file: this.file, ...this.positionOf(at, offset), path, message, severity: 'error' });
  }

  warn(at: At, path: string, message: string, offset = 0): void {
    this.warnings.push({ file: this.file, ...this.positionOf(at, offset), path, message, severity: 'warning' });
  }
}

/** NOWHERE is the position of problems that are not in the file. */
export const NOWHERE: Position = { line: 0, col: 0 };
