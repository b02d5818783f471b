/**
 * Text that came from a node (a host name, an engine version, a task error)
 * is untrusted: shown raw on a terminal, an escape sequence in it could
 * retitle or clear the terminal, move the cursor, or forge a table row.
 * These functions make such text inert and bounded.
 */

/**
 * UNSAFE matches what a terminal acts on or a reader is fooled by: C0
 * controls, DEL, C1 controls, the Unicode line and paragraph separators and
 * the bidirectional overrides and isolates.
 */
// Matching control characters is the point of this expression.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE_ANY = new RegExp(UNSAFE.source);

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** escapeOne writes one unsafe character as a visible escape: `\n`, `\e`, `\x07`, `\u202e`. */
function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * escapeControl returns `text` with every control character (C0, DEL, C1),
 * line separator and bidirectional override written as a visible escape
 * (`\e]0;x\x07` for ESC ] 0 ; x BEL), so that it prints on one line and the
 * terminal acts on none of it. `keep` lists characters left as they are
 * (for example "\n" for a message of several lines).
 */
export function escapeControl(text: string, keep = ''): string {
  return text.replace(UNSAFE, (c) => (keep.includes(c) ? c : escapeOne(c)));
}

/** hasControl tells whether `text` holds a character escapeControl would escape. */
export function hasControl(text: string): boolean {
  return UNSAFE_ANY.test(text);
}

/**
 * clipText returns `text` if it has at most `max` characters, else its
 * first characters and a note of how many were left out, `max` characters
 * or fewer in all (a surrogate pair is never split).
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (n: number): string => `… (${n} more characters)`;
  let keep = Math.max(0, max - note(text.length).length);
  const last = text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
  return text.slice(0, keep) + note(text.length - keep);
}
