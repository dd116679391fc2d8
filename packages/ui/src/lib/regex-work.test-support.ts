/**
 * The work regular expressions do on a long text, counted instead of timed (a timed test passes or fails with the
 * machine). A regex whose matches have a bounded length (no *, + or {n,}) does a bounded amount of work at each place it
 * tries; one anchored at the start (^ without the m flag, or sticky) tries one place. Any other regex, run over a long
 * text, may try a match as long as a run at every place of that run, in time quadratic in its length: /\s*$/ on
 * 80,000 spaces took seconds.
 */

export interface RegexWork<T> {
  result: T;
  /** How many times a regex ran, over any text. */
  runs: number;
  /** The regexes run over a text longer than `longerThan`, once per run. */
  overLongText: RegExp[];
}

/** Runs `run`, recording each regex run: test, match, replace, split and search all call RegExp.prototype.exec. */
export function countRegexWork<T>(run: () => T, longerThan = 16): RegexWork<T> {
  const exec = RegExp.prototype.exec;
  const overLongText: RegExp[] = [];
  let runs = 0;
  RegExp.prototype.exec = function (this: RegExp, text: string) {
    runs++;
    if (String(text).length > longerThan) overLongText.push(this);
    return exec.call(this, text);
  };
  try {
    return { result: run(), runs, overLongText };
  } finally {
    RegExp.prototype.exec = exec;
  }
}

/** Whether a regex may try a match of unbounded length at every place of a text (see above); conservative. */
export function mayRetryAtEveryPlace(regex: RegExp): boolean {
  const bare = regex.source.replace(/\\./g, 'e').replace(/\[[^\]]*\]/g, 'c'); // escapes and character classes as one character
  if (!/[*+]|\{\d+,\}/.test(bare)) return false;
  if (regex.sticky) return false;
  let depth = 0;
  for (const char of bare) {
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true; // an alternative without the ^
  }
  return regex.multiline || !bare.startsWith('^');
}
