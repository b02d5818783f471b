import { interpolate } from './interpolate.js';

/** EnvFileProblem is a problem on one line of an env file. */
export interface EnvFileProblem {
  line: number;
  col: number;
  message: string;
}

/** EnvFileResult holds the variables of an env file, in order, and its problems. */
export interface EnvFileResult {
  vars: Record<string, string>;
  problems: EnvFileProblem[];
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * parseEnvFile reads the `.env` format Compose reads: `KEY=VALUE` lines,
 * optionally after `export`, blank lines and `#` comments. Values in single
 * quotes are literal; unquoted and double-quoted values are interpolated with
 * env and the variables defined above them (double quotes also take `\n`).
 * A line `KEY` without `=` takes KEY from env, or is left out.
 */
export function parseEnvFile(text: string, env: Readonly<Record<string, string>> = {}): EnvFileResult {
  const vars: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const col = raw.indexOf(body) + 1;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY_RE.test(key)) {
      problems.push({ line, col, message: `invalid line ${JSON.stringify(trimmed)} (KEY=VALUE, the key made of letters, digits and "_")` });
      return;
    }
    if (eq < 0) {
      if (Object.hasOwn(env, key)) vars[key] = env[key] ?? '';
      return;
    }
    const value = readValue(body.slice(eq + 1).trim(), { ...env, ...vars });
    if ('error' in value) problems.push({ line, col: col + eq + 1, message: `${key}: ${value.error}` });
    else vars[key] = value.text;
  });
  return { vars, problems };
}

function readValue(text: string, env: Record<string, string>): { text: string } | { error: string } {
  const quote = text[0];
  if (quote === "'" || quote === '"') {
    const end = text.indexOf(quote, 1);
    if (end < 0) return { error: `missing closing ${quote}` };
    const inner = text.slice(1, end);
    if (quote === "'") return { text: inner };
    return expand(inner.replace(/\\n/g, '\n').replace(/\\"/g, '"'), env);
  }
  const comment = text.search(/\s#/);
  return expand(comment < 0 ? text : text.slice(0, comment).trimEnd(), env);
}

function expand(text: string, env: Record<string, string>): { text: string } | { error: string } {
  const r = interpolate(text, env);
  const error = r.problems.find((p) => p.severity === 'error');
  return error === undefined ? { text: r.value } : { error: error.message };
}

/**
 * parseRawEnvFile reads an env file with `format: raw`: each `KEY=VALUE` line
 * as written, the value everything after the first `=` (quotes, `$` and
 * backslashes kept), blank lines and `#` comments skipped.
 */
export function parseRawEnvFile(text: string): EnvFileResult {
  const vars: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const eq = raw.indexOf('=');
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim();
    if (eq < 0 || !KEY_RE.test(key)) {
      problems.push({ line: i + 1, col: raw.length - raw.trimStart().length + 1, message: `invalid line ${JSON.stringify(raw.trim())} (KEY=VALUE, the key made of letters, digits and "_")` });
      return;
    }
    vars[key] = raw.slice(eq + 1);
  });
  return { vars, problems };
}
