/** ShellWords is the result of splitShellWords: the words, or why the text cannot be split. */
export type ShellWords = { words: string[]; error?: undefined } | { words?: undefined; error: string; offset: number };

/**
 * splitShellWords splits a command line into words as a POSIX shell would,
 * without expanding anything: blanks separate words, single quotes keep
 * everything, double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``,
 * and a backslash outside quotes keeps the next character. An error gives
 * the offset of the quote or backslash at fault.
 */
export function splitShellWords(text: string): ShellWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'unterminated single quote', offset: i };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const opened = i;
      i++;
      inWord = true;
      let closed = false;
      while (i < text.length) {
        const d = text[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        const e = text[i + 1];
        if (d === '\\' && e !== undefined && '"\\$`\n'.includes(e)) {
          if (e !== '\n') word += e;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (!closed) return { error: 'unterminated double quote', offset: opened };
    } else if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) return { error: 'trailing backslash', offset: i };
      if (e !== '\n') {
        word += e;
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { words };
}
