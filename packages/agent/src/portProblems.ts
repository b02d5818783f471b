import type { Observation } from './executor.js';

/**
 * PortProblems turns a published port that cannot be bound on this node
 * (Mesh.onPublishProblems) into an error of the node's running tasks of that
 * service: the task runs, but the service is not served as asked, and
 * `cluster deploy` and `cluster services` say why instead of "converged".
 */
export class PortProblems {
  private problems: ReadonlyMap<string, string> = new Map();

  constructor(private readonly serviceOf: (taskId: string) => string | undefined) {}

  /**
   * set replaces the problems and returns the services whose problem
   * changed (appeared, changed or went): their tasks are reported again.
   */
  set(problems: ReadonlyMap<string, string>): Set<string> {
    const changed = new Set<string>();
    for (const [s, why] of problems) if (this.problems.get(s) !== why) changed.add(s);
    for (const s of this.problems.keys()) if (!problems.has(s)) changed.add(s);
    this.problems = new Map(problems);
    return changed;
  }

  /** decorate gives the running tasks of services with a problem that problem as their error (others are left as they are). */
  decorate(batch: Observation[]): Observation[] {
    if (this.problems.size === 0) return batch;
    return batch.map((o) => {
      if (o.state !== 'running' || o.error !== '') return o;
      const service = this.serviceOf(o.taskId);
      const why = service === undefined ? undefined : this.problems.get(service);
      return why === undefined ? o : { ...o, error: why };
    });
  }
}
