import { randomBytes } from 'node:crypto';
import { parse as parseLossless } from 'lossless-json';

/**
 * JSON text from PostgreSQL, kept as it is: the HTTP layer writes it into a
 * response verbatim (stringifyJson), so numbers reach clients with every digit,
 * as in the export.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A raw JSON text wrapper, for the HTTP layer. */
export const rawJson = (text: string): RawJson => new RawJson(text);

/** JSON.stringify, except that RawJson values are written as their text, unchanged. */
export function stringifyJson(value: unknown): string {
  const raws: string[] = [];
  const tag = `\u0001raw-${randomBytes(6).toString('hex')}-`; // cannot occur in other strings of the body
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `${tag}${raws.push(v.text) - 1}` : v));
  if (raws.length === 0) return text;
  const quotedTag = JSON.stringify(tag).slice(1, -1);
  return text.replace(new RegExp(`"${quotedTag.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`, 'g'), (_, i: string) => raws[Number(i)]);
}

/**
 * JSON.parse for JSON text from PostgreSQL, without silent rounding: a number
 * whose exact value a JavaScript number cannot hold (an integer beyond
 * ±2^53 − 1 such as a big bigint key, a numeric with more significant digits
 * than a double keeps) becomes a string of its exact decimal text. Every other
 * number stays a number.
 */
export function parseJsonExact<T = unknown>(text: string): T {
  // fewer than 16 significant digits always fit a double, unless an exponent puts them out of its range (1e400, 1e-400)
  if (!/[\d.]{16}|\d[eE]/.test(text)) return JSON.parse(text) as T;
  return JSON.parse(quoteInexactNumbers(text)) as T;
}

/**
 * parseJsonExact for JSON a person wrote (a record key in a URL or a flag). JSON.parse keeps the last of two values
 * given for one key, so `{"id":4,"id":5}` would quietly select record 5: a key given twice is refused, naming it
 * (lossless-json reports it; the same text twice, `{"id":1,"id":1}`, is let through, as it means one thing; `1` and
 * `1.0` are refused as two values, which the person can write once).
 */
export function parseJsonInput<T = unknown>(text: string): T {
  const parsed = parseJsonExact<T>(text); // a syntax error is JSON.parse's, as before
  parseLossless(text, null, { onDuplicateKey: ({ key }) => { throw new DuplicateJsonKeyError(key); } });
  return parsed;
}

/** A JSON object of input gave one key twice, with different values. */
export class DuplicateJsonKeyError extends Error {
  constructor(readonly key: string) {
    super(`gives "${key}" twice`);
    this.name = 'DuplicateJsonKeyError';
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Rewrites number tokens that a double cannot hold exactly as JSON strings. */
function quoteInexactNumbers(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[\d.eE+-]/.test(text[end])) end++;
      const token = text.slice(i, end);
      if (JSON_NUMBER.test(token) && !isExactDouble(token)) { // anything else stays for JSON.parse to refuse
        out += `${text.slice(copied, i)}"${token}"`;
        copied = end;
      }
      i = end - 1;
    }
  }
  return out + text.slice(copied);
}

/** Whether Number(token) has exactly the decimal value written in token. */
function isExactDouble(token: string): boolean {
  const n = Number(token);
  if (!Number.isFinite(n)) return false;
  return canonicalDecimal(token) === canonicalDecimal(String(n));
}

/** A decimal number text as sign, significant digits and exponent, so equal values compare equal. */
function canonicalDecimal(text: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign, int = '', fraction = '', exponent = '0'] = match;
  let digits = int + fraction;
  let exp = Number(exponent) - fraction.length;
  const leading = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leading);
  if (digits === '') return '0';
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  return `${sign}${digits}e${exp}`;
}

/** JSON text without insignificant whitespace (jsonb's text form has "a": 1, ...), numbers and strings untouched. */
export function compactJson(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') {
      out += c;
    }
  }
  return out;
}
