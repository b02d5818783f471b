import { Buffer } from 'node:buffer';
import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Problem } from './formatProblem.js';
import { emptyResources, type StackResources } from './StackResources.js';
import { offsetInSource, spansLines } from './offsetInSource.js';

/** ValueNode is a YAML node with aliases already followed. */
export type ValueNode = Scalar | YAMLMap | YAMLSeq;

/** Position is a 1-based line and column; line 0 means "not in the file". */
export interface Position {
  line: number;
  col: number;
}

/** At is where a problem is: a node (its start), a pair (its key) or a position. */
export type At = unknown;

/** Source is one file read by the loader: its name, text and parsed document. */
export interface Source {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

/**
 * FileReader gives the text of a file, or undefined when it does not exist.
 * Paths are absolute, or relative to the folder of the first file. The CLI
 * does the reading; the loader stays pure.
 */
export type FileReader = (path: string) => string | undefined;

/**
 * BytesReader gives the raw bytes of a file (secrets and configs, which may
 * be binary: keystores, keytabs, DER certificates), or undefined when it
 * does not exist. Paths are as for FileReader.
 */
export type BytesReader = (path: string) => Uint8Array | undefined;

/** PathKind tells whether a path is a file, a folder, or neither (undefined); paths are as for FileReader. */
export type PathKind = (path: string) => 'file' | 'folder' | undefined;

/**
 * LoadContext carries what every normalizer needs: the sources read so far,
 * where each node comes from (files are merged, so one tree holds nodes of
 * several files), the variables and the problems found so far.
 */
export class LoadContext {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  readonly sources: Source[] = [];
  /** inactiveServices are the services left out because none of their profiles is active. */
  readonly inactiveServices = new Set<string>();
  /** serviceNames maps a service name as written to the name it runs under, when they differ (engineServiceName). */
  readonly serviceNames = new Map<string, string>();
  /** resources are the stack's networks, volumes, secrets and configs, read before its services. */
  resources: StackResources = emptyResources('stack');
  private readonly origins = new WeakMap<object, Source>();

  constructor(
    /** file is the main file: problems with no place in a file are reported against it. */
    readonly file: string,
    /** env holds the variables for interpolation (the caller's environment over the `.env` file). */
    public env: Readonly<Record<string, string>>,
    /** readFile reads files named in the stack (`env_file`, `extends.file`, secrets). */
    readonly readFile: FileReader = () => undefined,
    /** readBytes reads secret and config files as bytes; without it, their text from readFile is taken as UTF-8. */
    readonly readBytes: BytesReader = (path) => {
      const text = readFile(path);
      return text === undefined ? undefined : Buffer.from(text, 'utf8');
    },
    /** pathKind checks that build contexts and Dockerfiles exist; without it they are not checked. */
    readonly pathKind?: PathKind,
  ) {}

  /** serviceName is the name a service written `written` runs under. */
  serviceName(written: string): string {
    return this.serviceNames.get(written) ?? written;
  }

  /** addSource records a parsed file and the origin of each of its nodes. */
  addSource(source: Source): void {
    this.sources.push(source);
    this.own(source.doc.contents, source);
  }

  /** own marks a node and everything under it as coming from source. */
  own(node: unknown, source: Source): void {
    if (typeof node !== 'object' || node === null || this.origins.has(node)) return;
    this.origins.set(node, source);
    if (isMap(node)) {
      for (const pair of node.items) {
        this.own(pair.key, source);
        this.own(pair.value, source);
      }
    } else if (isSeq(node)) for (const item of node.items) this.own(item, source);
  }

  /** derive makes a node made by the loader report problems where the node it stands for was written. */
  derive<T extends object>(made: T, from: unknown): T {
    const source = this.sourceOf(from);
    if (source !== undefined) this.origins.set(made, source);
    if (isNode(made) && isNode(from) && from.range) made.range = [...from.range] as [number, number, number];
    return made;
  }

  /** sourceOf tells which file a node comes from. */
  sourceOf(at: unknown): Source | undefined {
    if (isPair(at)) return this.sourceOf(at.key);
    return typeof at === 'object' && at !== null ? this.origins.get(at) : undefined;
  }

  /** resolve follows an alias to its anchored node; anything that is not a value node gives undefined. */
  resolve(node: unknown): ValueNode | undefined {
    const doc = this.sourceOf(node)?.doc ?? this.sources[0]?.doc;
    const target = isAlias(node) && doc !== undefined ? node.resolve(doc) : node;
    if (isScalar(target) || isMap(target) || isSeq(target)) return target;
    return undefined;
  }

  /** positionOf gives the position of a node, a pair's key or a position. */
  positionOf(at: At, offset = 0): Position {
    if (isPair(at)) return this.positionOf(at.key, offset);
    const source = this.sourceOf(at) ?? this.sources[0];
    if (typeof at === 'number' && source) return source.lineCounter.linePos(at + offset);
    if (isNode(at) && at.range && source) return source.lineCounter.linePos(at.range[0] + offset);
    if (typeof at === 'object' && at !== null && 'line' in at && 'col' in at) return at as Position;
    return { line: 1, col: 1 };
  }

  /** fileOf names the file a problem at `at` is in. */
  fileOf(at: At): string {
    return this.sourceOf(at)?.file ?? this.file;
  }

  error(at: At, path: string, message: string, offset = 0): void {
    this.errors.push({ file: this.fileOf(at), ...this.positionOf(at, offset), path, message, severity: 'error' });
  }

  /**
   * errorInValue reports a problem at the character `offset` of a scalar's
   * value when the scalar spans lines (a block scalar, a folded string),
   * where its start would say little; else, or when that character cannot
   * be placed in the source, at the scalar's start.
   */
  errorInValue(node: Scalar, path: string, message: string, offset: number): void {
    const text = this.sourceOf(node)?.text;
    const at = text === undefined || typeof node.value !== 'string' || !spansLines(text, node) ? undefined : offsetInSource(text, node, node.value, offset);
    this.error(node, path, message, at ?? 0);
  }

  warn(at: At, path: string, message: string, offset = 0): void {
    this.warnings.push({ file: this.fileOf(at), ...this.positionOf(at, offset), path, message, severity: 'warning' });
  }
}

/** NOWHERE is the position of problems that are not in the file. */
export const NOWHERE: Position = { line: 0, col: 0 };
