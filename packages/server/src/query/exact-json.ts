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
  // a syntax error is JSON.parse's, as before; see quoteInexactNumbers for the numbers given as strings
  const parsed = (/[\d.]{16}|\d[eE]/.test(text) ? JSON.parse(quoteInexactNumbers(text, true)) : JSON.parse(text)) as T;
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

/**
 * Rewrites number tokens that a double cannot hold exactly as JSON strings. For `input` (JSON a person wrote, a record
 * key), integers beyond ±2^53 − 1 too, which the key check refuses as numbers (a double may have rounded them before
 * it sees them; here their text is known), each written as its exact value in plain decimal digits ("1e-400" as
 * "0.000…01", which a numeric key takes as it takes "0.5") when numeric could hold it, else as written.
 */
function quoteInexactNumbers(text: string, input = false): string {
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
      if (JSON_NUMBER.test(token) && !(input ? isSafeDouble(token) : isExactDouble(token))) { // anything else stays for JSON.parse to refuse
        out += `${text.slice(copied, i)}"${input ? plainInput(token) : token}"`;
        copied = end;
      }
      i = end - 1;
    }
  }
  return out + text.slice(copied);
}

// A number written with an exponent is spelt out only up to this length: "1e131071", 8 characters of a request, would
// otherwise become 131072, and a request of many such numbers hundreds of megabytes. Every double fits (at most 330
// digits or so); a longer one stays as written, which no key check takes for a number.
const MAX_PLAIN_LENGTH = 1024;

function plainInput(token: string): string {
  const plain = plainDecimal(token);
  return plain !== undefined && plain.length <= Math.max(MAX_PLAIN_LENGTH, token.length) ? plain : token;
}

/**
 * Whether text is a JSON number a double cannot hold (an integer beyond ±2^53 − 1, or more digits than a double keeps):
 * such a number reaches a caller as this string (parseJsonExact, parseJsonInput), and is the number itself in a json key.
 */
export function isInexactNumberText(text: string): boolean {
  return JSON_NUMBER.test(text) && !isSafeDouble(text);
}

/** isExactDouble, and not an integer beyond ±2^53 − 1 (where the doubles are further apart than 1). */
function isSafeDouble(token: string): boolean {
  const n = Number(token);
  return isExactDouble(token) && (!Number.isInteger(n) || Number.isSafeInteger(n));
}

// the most digits PostgreSQL's numeric holds before and after the decimal point
const NUMERIC_INTEGER_DIGITS = 131072;
const NUMERIC_FRACTION_DIGITS = 16383;

/**
 * A JSON number's exact value in plain decimal digits, without an exponent: "1.5e1" → "15", "1e-7" → "0.0000001",
 * "1e+21" → "1000000000000000000000" (a number without an exponent is returned as it is). Undefined when that would
 * take more digits than PostgreSQL's numeric holds (131072 before the point, 16383 after), or for no JSON number.
 */
export function plainDecimal(text: string): string | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, int, fraction = '', exponent] = match;
  if (exponent === undefined) return text;
  let digits = int + fraction;
  let point = int.length + Number(exponent); // the decimal point comes after this many of the digits
  const leading = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leading).replace(/0+$/, '');
  point -= leading;
  if (digits === '') return '0';
  if (!(point <= NUMERIC_INTEGER_DIGITS && digits.length - point <= NUMERIC_FRACTION_DIGITS)) return undefined; // also an exponent beyond any number
  const plain = point <= 0 ? `0.${'0'.repeat(-point)}${digits}`
    : point >= digits.length ? `${digits}${'0'.repeat(point - digits.length)}`
    : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}${plain}`;
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
