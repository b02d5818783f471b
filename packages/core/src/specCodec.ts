/**
 * The one encode/decode pair of the specs that cross the wire as JSON text
 * (DeployStackRequest.spec_json, Task.spec_json, AssignmentSet specs,
 * Service.spec_json). They stay text because the measurement in BENCHMARKS.md
 * ("Specs on the wire", bench/spec-encoding.mjs) says a structured message
 * costs more than it saves; callers never JSON.parse or JSON.stringify a spec
 * by hand, so the form can change here alone.
 */
import { ClusterError } from './errors.js';
import { MAX_STACK_SPEC_BYTES } from './limits.js';
import type { ServiceSpec, StackSpec } from './model.js';
import { formatSpecProblems, validateStackSpec } from './validateStackSpec.js';

/** encodeStackSpec writes a stack's normalized spec as DeployStack sends it. */
export function encodeStackSpec(stack: StackSpec): string {
  return JSON.stringify(stack);
}

/**
 * decodeStackSpec reads a DeployStack spec and checks all of it with the
 * validator the CLI's loader uses (validateStackSpec): a spec the manager
 * stores is one the orchestrator can work on. Throws an invalid_argument
 * ClusterError naming every problem.
 */
export function decodeStackSpec(name: string, text: string): StackSpec {
  if (text.length > MAX_STACK_SPEC_BYTES) throw new ClusterError('invalid_argument', `deploy: the stack spec is ${text.length} bytes (at most ${MAX_STACK_SPEC_BYTES})`);
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new ClusterError('invalid_argument', 'deploy: the stack spec is not valid JSON', { cause: err });
  }
  const problems = validateStackSpec(name, spec);
  if (problems.length > 0) throw new ClusterError('invalid_argument', `deploy: invalid stack spec: ${formatSpecProblems(problems)}`);
  return { name, services: (spec as StackSpec).services };
}

/** encodeServiceSpec writes a service spec as assignments and listings carry it. */
export function encodeServiceSpec(spec: ServiceSpec): string {
  return JSON.stringify(spec);
}

/**
 * decodeServiceSpec reads the spec of an assignment (the manager checked it
 * when it was deployed; an assignment for a removed service carries only
 * what stopping its task needs). Empty text reads as an empty spec. Throws
 * an invalid_argument ClusterError when the text is not a JSON object.
 */
export function decodeServiceSpec(text: string): ServiceSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(text || '{}');
  } catch (err) {
    throw new ClusterError('invalid_argument', `spec: not valid JSON (${text.length} bytes)`, { cause: err });
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new ClusterError('invalid_argument', 'spec: not a JSON object');
  return spec as ServiceSpec;
}
