import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultStackName, encodeStackSpec, formatProblem, loadStack, MAX_COMPOSE_FILE_BYTES, NAME_RE, parseTimeout, type StackSpec } from '@cluster/core';
import { CliError, type Io } from '../io.js';
import { connectControl, listTasks, type Control } from '../client.js';
import { sleep } from '../daemon.js';
import { dependencyProblem } from './dependencyProblem.js';
import { reasonFromApi, taskProblem } from '../reason.js';
import { shown } from '../format.js';
import { addRegistryAuth, dockerLogins } from '../docker/registryAuth.js';

/** DeployOptions are the flags of `cluster deploy`. */
export interface DeployOptions extends StackFileOptions {
  detach: boolean;
  /** registryAuth sends the `docker login` credentials of the stack's registries to the nodes that pull. @default true */
  registryAuth?: boolean;
  dryRun: boolean;
  timeout: string;
  manager?: string;
}


/** StackFileOptions are the flags that change how a stack's files are read. */
export interface StackFileOptions {
  name?: string;
  /** envFile replaces the .env beside the first file. @default none */
  envFile?: string[];
  /** profile lists the active profiles. @default none */
  profile?: string[];
  /** strict makes every warning an error. @default false */
  strict?: boolean;
}

/**
 * loadStackFile reads and validates Compose files (the first, then override
 * files merged onto it), printing warnings (each under its source line);
 * errors (and, with `strict`, warnings) become one CliError that shows each
 * problem under its source line. `command` names the command in messages:
 * what `deploy` does not do on errors is deploy.
 */
export function loadStackFile(io: Io, files: string | string[], o: StackFileOptions = {}, command: 'deploy' | 'config' = 'deploy'): StackSpec {
  const list = typeof files === 'string' ? [files] : files;
  const first = list[0] ?? 'compose.yml';
  const name = o.name;
  if (name !== undefined && !NAME_RE.test(name)) {
    throw new CliError(`${command}: invalid stack name "${name}" (lowercase letters, digits, "_" and "-"; starts with a letter or digit)`);
  }
  for (const f of list) {
    let size: number;
    try {
      size = statSync(resolve(io.cwd, f)).size;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(`${command}: cannot read ${f}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    // Checked before reading: a file of gigabytes is never loaded.
    if (size > MAX_COMPOSE_FILE_BYTES) throw new CliError(`${command}: ${f} is ${size} bytes (at most ${MAX_COMPOSE_FILE_BYTES} for a Compose file)`);
  }
  const texts = new Map<string, string>();
  const readFile = (path: string): string | undefined => {
    try {
      const text = readFileSync(resolve(io.cwd, path), 'utf8');
      texts.set(path, text);
      return text;
    } catch {
      return undefined;
    }
  };
  // Secrets and configs are read as bytes: a binary file reaches the container unchanged.
  const readBytes = (path: string): Uint8Array | undefined => {
    try {
      return readFileSync(resolve(io.cwd, path));
    } catch {
      return undefined;
    }
  };
  // Build contexts and Dockerfiles are checked here, with their place in the file, before anything is built or sent.
  const pathKind = (path: string): 'file' | 'folder' | undefined => {
    try {
      const st = statSync(resolve(io.cwd, path));
      return st.isDirectory() ? 'folder' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  const result = loadStack({
    files: list,
    readFile,
    readBytes,
    pathKind,
    env,
    stackName: name ?? defaultStackNameOf(resolve(io.cwd, first)),
    profiles: o.profile ?? [],
    ...(o.envFile === undefined ? {} : { envFiles: o.envFile }),
  });
  const strict = o.strict === true;
  if (!strict) for (const w of result.warnings) io.err(`${formatProblem(w, texts.get(w.file))}\n`);
  // With --strict a warning is an error: shown as one, and counted.
  const failures = strict ? [...result.errors, ...result.warnings.map((w) => ({ ...w, severity: 'error' as const }))] : result.errors;
  if (failures.length > 0 || !result.spec) {
    const shown = failures.map((e) => formatProblem(e, texts.get(e.file))).join('\n');
    const n = failures.length;
    const warned = strict && result.warnings.length > 0 ? ' (warnings are errors with --strict)' : '';
    const outcome = command === 'deploy' ? 'nothing was deployed' : 'the stack is not valid';
    throw new CliError(`${shown}\n${list.join(', ')}: ${n} error${n === 1 ? '' : 's'}${warned}; ${outcome}`);
  }
  return result.spec;
}

function defaultStackNameOf(path: string): string | undefined {
  const n = defaultStackName(path);
  return n || undefined;
}

/** deploy sends a stack and, unless --detach, waits until every service converged. */
export async function deploy(io: Io, files: string[], o: DeployOptions): Promise<void> {
  // The connection to the manager is made while the stack is read and
  // validated; a problem with the stack is still the one reported first.
  let control: Control | undefined;
  let notConnected: unknown;
  try {
    control = connectControl(io, o.manager);
    // A turn of the event loop sends the connection's first packets before the synchronous work below.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (err) {
    notConnected = err;
  }
  try {
    const spec = loadStackFile(io, files, o);
    const timeoutMs = parseTimeout(o.timeout);
    if (timeoutMs === undefined) throw new CliError(`--timeout: invalid duration "${o.timeout}" (like 90s, 2m)`);
    if (o.registryAuth !== false) {
      const logins = dockerLogins(io.env);
      for (const p of logins.problems) io.err(`warning: ${p}; images are pulled without it\n`);
      const registries = addRegistryAuth(spec, logins);
      if (registries.length > 0) io.err(`deploy: nodes pull with your docker login of ${registries.join(', ')} (--no-registry-auth: without)\n`);
    }
    if (control === undefined) throw notConnected;
    // Images of `build:` services are made here and handed to the manager before the stack refers to them.
    if (!o.dryRun && Object.values(spec.services).some((s) => s.build !== undefined)) {
      // The engine client is loaded only for stacks that build images: it costs a plain deploy about 0.25 s.
      const { buildImages } = await import('../docker/buildImages.js');
      await buildImages(io, spec, control);
    }
    const started = Date.now();
    const r = await control.call('DeployStack', { name: spec.name, specJson: encodeStackSpec(spec), dryRun: o.dryRun });
    for (const c of r.changes) io.out(`${c.action.padEnd(9)} ${c.service}\n`);
    if (o.dryRun) {
      io.out(`dry run: nothing was changed\n`);
      return;
    }
    if (o.detach) return;
    await waitConverged(io, control, spec.name, started, timeoutMs);
  } finally {
    control?.close();
  }
}

/**
 * pollIntervalMs is how long waitConverged waits between two looks at a
 * stack's services: about 1 ms per desired task, from 50 ms (so `cluster
 * deploy` returns soon after the last container started) to 250 ms (the
 * manager's work for one look grows with the stack's tasks).
 */
export function pollIntervalMs(desiredTasks: number): number {
  return Math.min(250, Math.max(50, Math.round(desiredTasks)));
}

/** TASKS_EVERY_MS spaces the looks at a stack's tasks (failures, placement problems), heavier than those at its services. */
const TASKS_EVERY_MS = 250;

/** PollClock is the time waitConverged reads and waits on; tests pass a fake one. */
export interface PollClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PollClock = { now: () => Date.now(), sleep };

/** waitConverged polls the stack's services until all converge, or fails with the reason. */
export async function waitConverged(io: Io, control: Control, stack: string, since: number, timeoutMs: number, clock: PollClock = REAL_CLOCK): Promise<void> {
  const deadline = since + timeoutMs;
  let last = '';
  let tasksSeenAt = 0;
  const unplacedSince = new Map<string, number>();
  const erroredSince = new Map<string, number>();
  for (;;) {
    const { services } = await control.call('ListServices', { stack });
    const line = services.map((s) => `${s.name} ${s.running}/${s.desired}`).join(', ');
    if (line !== last) {
      io.err(`progress: ${line || '(no services)'}\n`);
      last = line;
    }
    if (services.every((s) => s.converged)) {
      io.out(`stack ${stack} converged: ${line || 'no services'}\n`);
      return;
    }
    // The manager leaves a service alone until it is deployed again: waiting would change nothing.
    const leftOut = services.find((s) => s.leftOut);
    if (leftOut) throw new CliError(`deploy: ${leftOut.name} is left out of orchestration: ${shown(leftOut.error, 1000)}`);
    const timedOut = clock.now() > deadline;
    if (timedOut || clock.now() - tasksSeenAt >= TASKS_EVERY_MS) {
      tasksSeenAt = clock.now();
      const tasks = await listTasks(control, stack, true);
      for (const s of services) {
        if (s.converged) continue;
        const mine = tasks.filter((t) => t.service === s.name && t.specVersion === s.specVersion && t.updatedAtMs >= since - 1000);
        const rejected = mine.find((t) => t.state === 'rejected');
        if (rejected) throw new CliError(`deploy: ${s.name} cannot run: ${shown(rejected.error, 1000)}`);
        const failed = mine.filter((t) => t.state === 'failed');
        if (failed.length >= 3) throw new CliError(`deploy: ${s.name} keeps failing (${failed.length} tasks failed; last: ${shown(failed.sort((a, b) => b.updatedAtMs - a.updatedAtMs)[0]!.error, 1000)})`);
        const pending = mine.find((t) => t.state === 'pending' && t.error);
        const why = reasonFromApi(pending?.reason);
        // A task waiting for its dependencies is not unplaceable: it fails only when a dependency cannot get ready.
        const stuck = pending ? dependencyProblem(stack, s.name, why, tasks) : undefined;
        if (stuck !== undefined) throw new CliError(stuck);
        // A task that runs with an error (its node cannot bind a published port) fails the deploy once it lasts.
        const troubled = mine.find((t) => t.state === 'running' && t.error !== '');
        if (troubled) {
          const first = erroredSince.get(s.name) ?? clock.now();
          erroredSince.set(s.name, first);
          if (clock.now() - first > 5000) throw new CliError(`deploy: ${s.name} runs but is not served as asked: ${shown(troubled.error, 1000)}`);
        } else erroredSince.delete(s.name);
        if (pending && why?.kind !== 'waiting_for_dependencies') {
          const first = unplacedSince.get(s.name) ?? clock.now();
          unplacedSince.set(s.name, first);
          if (clock.now() - first > 5000) throw new CliError(`deploy: ${s.name} cannot be placed: ${shown(taskProblem(pending), 1000)}`);
        } else unplacedSince.delete(s.name);
      }
    }
    if (timedOut) {
      const why = services.filter((s) => !s.converged).map((s) => `${s.name} ${s.running}/${s.desired}${s.error ? ` (${shown(s.error, 1000)})` : ''}`).join(', ');
      throw new CliError(`deploy: not converged after ${timeoutMs / 1000}s: ${why}`);
    }
    await clock.sleep(pollIntervalMs(services.reduce((n, s) => n + s.desired, 0)));
  }
}

