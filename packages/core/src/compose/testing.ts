/** Helpers for the loader's tests: load a file written as lines and look at what came out. */
import assert from 'node:assert/strict';
import type { ServiceSpec } from '../model.js';
import type { Problem } from './formatProblem.js';
import { loadCompose } from './loadCompose.js';
import type { LoadOptions, LoadResult } from './LoadOptions.js';

/** load reads lines joined by "\n" as `/stacks/demo/stack.yml`. */
export function load(lines: string[], options: Partial<LoadOptions> = {}): LoadResult {
  return loadCompose(lines.join('\n'), { file: '/stacks/demo/stack.yml', ...options });
}

/** webService loads the lines, which must hold no error, and returns service web. */
export function webService(lines: string[], env: Record<string, string> = {}): ServiceSpec {
  const r = load(lines, { env });
  assert.deepEqual(r.errors.map(brief), []);
  const web = r.spec?.services['web'];
  assert.ok(web, 'service web');
  return web;
}

/** web builds the lines of a stack whose service web has an image and the given lines (indented by the caller). */
export function web(...lines: string[]): string[] {
  return ['services:', '  web:', '    image: nginx', ...lines];
}

/** Brief is the part of a problem tests compare. */
export interface Brief {
  path: string;
  line: number;
  col: number;
  message: string;
}

/** brief keeps the place and message of a problem. */
export function brief(p: Problem): Brief {
  return { path: p.path, line: p.line, col: p.col, message: p.message };
}

/** paths lists where problems are, as "path@line:col". */
export function at(problems: Problem[]): string[] {
  return problems.map((p) => `${p.path}@${p.line}:${p.col}`);
}
