/** Problem is one error or warning found in a Compose file, with its position and YAML path. */
export interface Problem {
  /** file is the file name as given by the caller. */
  file: string;
  /** line is 1-based; 0 when the problem has no place in the file (a stack name passed by the caller). */
  line: number;
  /** col is 1-based; 0 together with line 0. */
  col: number;
  /** path is the YAML path, such as `services.web.ports[0]`; "" for the whole file. */
  path: string;
  /** message is lowercase and names the offending value and what is expected. */
  message: string;
  severity: 'error' | 'warning';
}

/**
 * formatProblem prints a problem as `file:line:col path: message`, with
 * `warning: ` before the path for warnings. Given the source text, it adds the
 * source line and a `^` under the column.
 */
export function formatProblem(p: Problem, sourceText?: string): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const severity = p.severity === 'warning' ? 'warning: ' : '';
  const head = `${where} ${severity}${p.path === '' ? '' : `${p.path}: `}${p.message}`;
  if (sourceText === undefined || p.line < 1) return head;
  const line = sourceText.split(/\r?\n/)[p.line - 1];
  if (line === undefined) return head;
  // Keep tabs in the padding so that the caret lines up in a terminal.
  const pad = line.slice(0, Math.max(0, p.col - 1)).replace(/[^\t]/g, ' ');
  return `${head}\n${line}\n${pad}^`;
}
