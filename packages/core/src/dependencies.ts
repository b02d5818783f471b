/**
 * depends_on across hosts, decided from the manager's whole view: a task of
 * a service waits (stays pending, unplaced) until every service it depends on
 * is started, healthy or completed successfully, wherever its tasks run.
 */
import { fullServiceName, shouldRun, type Service, type Task } from './model.js';
import type { Dependency } from './serviceOptions.js';
import type { DependencyWait } from './reasons.js';

/** isReady tells whether the tasks of a dependency meet its condition. */
function isReady(condition: Dependency['condition'], tasks: Task[], service: Service): boolean {
  const current = tasks.filter((t) => t.specVersion === service.specVersion);
  if (condition === 'service_completed_successfully') {
    return current.some((t) => t.state === 'complete' && t.exitCode === 0) && !current.some(shouldRun);
  }
  const live = current.filter(shouldRun);
  if (live.length === 0) return false;
  if (condition === 'service_started') return live.every((t) => t.state === 'running');
  return live.every((t) => t.state === 'running' && t.health === 'healthy');
}

/** DependencyIndex answers, per service, what its pending tasks wait for. */
export class DependencyIndex {
  private readonly byService = new Map<string, Task[]>();

  constructor(
    tasks: readonly Task[],
    private readonly services: ReadonlyMap<string, Service>,
  ) {
    for (const t of tasks) {
      const list = this.byService.get(t.service);
      if (list) list.push(t);
      else this.byService.set(t.service, [t]);
    }
  }

  /**
   * waitingFor returns the dependencies tasks of a service wait for (shown
   * as `waiting for db: healthy`), or undefined when every one is ready.
   */
  waitingFor(service: Service): DependencyWait[] | undefined {
    const unmet: DependencyWait[] = [];
    for (const d of service.spec.dependsOn ?? []) {
      const dep = this.services.get(fullServiceName(service.stack, d.service));
      if (dep === undefined) {
        if (d.required) unmet.push({ service: d.service, condition: d.condition, deployed: false });
        continue;
      }
      if (!isReady(d.condition, this.byService.get(dep.name) ?? [], dep)) unmet.push({ service: d.service, condition: d.condition, deployed: true });
    }
    return unmet.length === 0 ? undefined : unmet;
  }
}

/**
 * dependentsToRestart lists the services of a stack to restart because a
 * service they depend on with `restart: true` is updated: short names, those
 * already updated left out, following chains (a restarted service restarts
 * its own such dependents).
 */
export function dependentsToRestart(specs: Readonly<Record<string, { dependsOn?: readonly { service: string; restart: boolean }[] }>>, updated: readonly string[]): string[] {
  const done = new Set(updated);
  const out: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, spec] of Object.entries(specs)) {
      if (done.has(name)) continue;
      if ((spec.dependsOn ?? []).some((d) => d.restart && done.has(d.service))) {
        done.add(name);
        out.push(name);
        changed = true;
      }
    }
  }
  return out;
}
