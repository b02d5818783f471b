/**
 * Variable interpolation as Compose does it, applied to every scalar string
 * value of the file (never to keys) before the file is read.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { LoadContext, Source } from './context.js';
import { indexPath, joinPath } from './nodes.js';
import { offsetInSource } from './offsetInSource.js';

/** InterpolationProblem is a problem at an offset of the interpolated text. */
export interface InterpolationProblem {
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

/** InterpolationResult is the text with variables replaced and the problems met. */
export interface InterpolationResult {
  value: string;
  problems: InterpolationProblem[];
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * interpolate replaces `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`
 * and `$$` (a literal `$`) in text, taking variables from env. Defaults and
 * replacements may themselves hold variables; they are read only when used.
 * An unset variable without a default becomes "" with a warning.
 */
export function interpolate(text: string, env: Readonly<Record<string, string>>): InterpolationResult {
  const problems: InterpolationProblem[] = [];
  let value = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close < 0) {
        problems.push({ offset: dollar, message: `invalid interpolation ${JSON.stringify(text.slice(dollar))} (missing "}")`, severity: 'error' });
        break;
      }
      value += expandBraced(text.slice(dollar + 2, close), dollar, env, problems);
      i = close + 1;
      continue;
    }
    const name = NAME_RE.exec(text.slice(dollar + 1))?.[0];
    if (name === undefined) {
      problems.push({
        offset: dollar,
        message: `invalid interpolation ${JSON.stringify(text.slice(dollar, dollar + 2))} (a variable name or "{" after "$"; "$$" for a literal "$")`,
        severity: 'error',
      });
      value += '$';
      i = dollar + 1;
      continue;
    }
    value += lookup(name, env, dollar, problems);
    i = dollar + 1 + name.length;
  }
  return { value, problems };
}

function lookup(name: string, env: Readonly<Record<string, string>>, offset: number, problems: InterpolationProblem[]): string {
  const found = Object.hasOwn(env, name) ? env[name] : undefined;
  if (found !== undefined) return found;
  problems.push({ offset, message: `variable ${JSON.stringify(name)} is not set, using ""`, severity: 'warning' });
  return '';
}

/** matchingBrace finds the "}" closing a "${" whose content starts at from, allowing nested "${...}". */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** expandBraced expands the inside of `${...}` found at offset. */
function expandBraced(inner: string, offset: number, env: Readonly<Record<string, string>>, problems: InterpolationProblem[]): string {
  const name = NAME_RE.exec(inner)?.[0];
  const rest = name === undefined ? inner : inner.slice(name.length);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (name === undefined || (rest !== '' && op === undefined)) {
    problems.push({ offset, message: `invalid interpolation ${JSON.stringify(`\${${inner}}`)} (like "\${VAR}", "\${VAR:-default}" or "\${VAR:?error}")`, severity: 'error' });
    return '';
  }
  if (op === undefined) return lookup(name, env, offset, problems);
  const set = Object.hasOwn(env, name) && env[name] !== undefined;
  const current = set ? (env[name] ?? '') : '';
  const nonEmpty = set && current !== '';
  const argOffset = offset + 2 + name.length + op.length;
  const argument = (): string => {
    const r = interpolate(rest.slice(op.length), env);
    for (const p of r.problems) problems.push({ ...p, offset: p.offset + argOffset });
    return r.value;
  };
  const choose: Record<Operator, () => string> = {
    ':-': () => (nonEmpty ? current : argument()),
    '-': () => (set ? current : argument()),
    ':+': () => (nonEmpty ? argument() : ''),
    '+': () => (set ? argument() : ''),
    ':?': () => (nonEmpty ? current : required(name, 'is not set or empty')),
    '?': () => (set ? current : required(name, 'is not set')),
  };
  const required = (variable: string, why: string): string => {
    const detail = argument();
    problems.push({ offset, message: `required variable ${JSON.stringify(variable)} ${why}${detail === '' ? '' : `: ${detail}`}`, severity: 'error' });
    return '';
  };
  return choose[op]();
}

/**
 * interpolateDocument interpolates every scalar string value of the document
 * in place and reports problems at the spot of the variable when the scalar's
 * source text maps one to one onto its value, else at the scalar's start.
 */
export function interpolateDocument(ctx: LoadContext, source: Source): void {
  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        walk(pair.value, typeof key === 'string' || typeof key === 'number' ? joinPath(path, String(key)) : path);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, indexPath(path, i)));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const original = node.value;
      const result = interpolate(original, ctx.env);
      node.value = result.value;
      for (const p of result.problems) {
        const offset = offsetInSource(source.text, node, original, p.offset) ?? 0;
        if (p.severity === 'error') ctx.error(node, path, p.message, offset);
        else ctx.warn(node, path, p.message, offset);
      }
    }
  };
  walk(source.doc.contents, '');
}
