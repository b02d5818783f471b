/**
 * VolumePurger deletes the named volumes of stacks removed with `cluster rm
 * --volumes`. A volume still used by a container that is stopping cannot be
 * deleted yet, so each stack is retried until none of its volumes is left,
 * or until the stack is deployed again here.
 */

/** VolumePurgerOptions wire the purger to the engine. */
export interface VolumePurgerOptions {
  /** remove deletes what it can of a stack's volumes and returns how many are left. */
  remove: (stack: string) => Promise<number>;
  log: (line: string) => void;
  /** retryMs is the pause between attempts. @default 1000 */
  retryMs?: number;
  /** maxAttempts bounds the attempts per stack. @default 120 */
  maxAttempts?: number;
}

/** VolumePurger retries the deletion of stacks' volumes. */
export class VolumePurger {
  private readonly pending = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: VolumePurgerOptions) {}

  /** purge starts deleting the volumes of stacks (again, when already under way). */
  purge(stacks: readonly string[]): void {
    for (const stack of stacks) {
      if (this.pending.has(stack)) continue;
      this.pending.set(stack, 0);
      void this.attempt(stack);
    }
  }

  /** keep stops purging stacks that have tasks on this node again. */
  keep(stacks: readonly string[]): void {
    for (const stack of stacks) this.pending.delete(stack);
  }

  /** purging lists the stacks whose volumes are still to be deleted. */
  purging(): string[] {
    return [...this.pending.keys()];
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
  }

  private async attempt(stack: string): Promise<void> {
    const tries = this.pending.get(stack);
    if (tries === undefined) return;
    let left = 1;
    try {
      left = await this.o.remove(stack);
    } catch (err) {
      this.o.log(`volumes: deleting the volumes of stack ${stack} failed: ${(err as Error).message}`);
    }
    if (!this.pending.has(stack)) return;
    if (left === 0) {
      this.pending.delete(stack);
      this.o.log(`volumes: the volumes of stack ${stack} are deleted`);
      return;
    }
    if (tries + 1 >= (this.o.maxAttempts ?? 120)) {
      this.pending.delete(stack);
      this.o.log(`volumes: ${left} volumes of stack ${stack} are still in use; giving up`);
      return;
    }
    this.pending.set(stack, tries + 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(stack);
    }, this.o.retryMs ?? 1000);
    timer.unref();
    this.timers.add(timer);
  }
}
